#include "util/confined_file.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
namespace fs = std::filesystem;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

TEST_CASE("read_file_beneath reads files and links that stay beneath the root", "[util][security]") {
  ScratchDir root;
  write_text(root / "static/a.txt", "a");
  fs::create_symlink("a.txt", root / "static/relative.txt");
  fs::create_symlink(root / "static/a.txt", root / "static/absolute.txt");
  fs::create_directories(root / "pages");
  fs::create_directory_symlink("../static", root / "pages/linked-folder");
  for (const char* name : {"static/a.txt", "static/relative.txt", "static/absolute.txt", "pages/linked-folder/a.txt"}) {
    auto read = read_file_beneath(root.path(), name);
    INFO(name);
    REQUIRE(read.ok());
    CHECK(read.value() == "a");
  }
}

TEST_CASE("read_file_beneath refuses links out of the root, by the file opened", "[util][security]") {
  ScratchDir root, outside;
  write_text(outside / "secret", "s");
  fs::create_directories(root / "static");
  fs::create_symlink(outside / "secret", root / "static/secret.txt");
  fs::create_directory_symlink(outside.path(), root / "static/folder");
  fs::create_symlink("../../" + outside.path().filename().string() + "/secret", root / "static/relative.txt");

  auto direct = read_file_beneath(root.path(), "static/secret.txt");
  REQUIRE_FALSE(direct.ok());
  CHECK(direct.error().to_string() == "static/secret.txt: symbolic link to a file outside the site (" +
                                          (outside / "secret").string() +
                                          ") refused: copy the file into the site, or link to one inside it");
  CHECK_FALSE(read_file_beneath(root.path(), "static/folder/secret").ok());
  // A relative link climbing out (both folders are in the same temporary
  // folder) is caught the same way, once resolved.
  REQUIRE(fs::exists(root / "static/relative.txt"));
  CHECK_FALSE(read_file_beneath(root.path(), "static/relative.txt").ok());

  auto climbing = read_file_beneath(root.path(), "../" + outside.path().filename().string() + "/secret");
  REQUIRE_FALSE(climbing.ok());
  CHECK_THAT(climbing.error().message, Catch::Contains("path leads outside the site folder"));
  CHECK_FALSE(read_file_beneath(root.path(), (outside / "secret").string()).ok());
}

TEST_CASE("read_file_beneath refuses what is no regular file, and files over the limit", "[util][security]") {
  ScratchDir root;
  REQUIRE(::mkfifo((root / "fifo").c_str(), 0644) == 0);
  auto fifo = read_file_beneath(root.path(), "fifo");  // must not hang
  REQUIRE_FALSE(fifo.ok());
  CHECK_THAT(fifo.error().message, Catch::Contains("not a regular file"));

  write_text(root / "big.md", std::string(100, 'x'));
  CHECK(read_file_beneath(root.path(), "big.md", 100, "limits.page_bytes").ok());
  auto big = read_file_beneath(root.path(), "big.md", 99, "limits.page_bytes in content/site.toml");
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().to_string() ==
        "big.md: the file has 100 bytes, over the limit of 99 (limits.page_bytes in content/site.toml)");
}

TEST_CASE("read_file_beneath follows a root reached through a link", "[util][security]") {
  ScratchDir holder;
  write_text(holder / "real/page.md", "p");
  fs::create_directory_symlink(holder / "real", holder / "current");  // as deploys switch releases
  auto read = read_file_beneath(holder / "current", "page.md");
  REQUIRE(read.ok());
  CHECK(read.value() == "p");
}
