#include "watch/tree_walk.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen::watch;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;
namespace fs = std::filesystem;

TEST_CASE("watch's tree walk announces folders, lists files and skips ignored ones") {
  ScratchDir site;
  write_text(site / "content/pages/acme/summer.md", "x");
  write_text(site / "content/pages/acme/.summer.md.swp", "swap");
  write_text(site / "content/site.toml", "x");
  write_text(site / "content/out/index.html", "the output, inside a watched folder");
  fs::create_directory_symlink(site / "content/pages", site / "content/linked");
  std::vector<std::string> folders, files;
  walk_tree(site.path(), "content", "content/out", [&](const std::string& f) { folders.push_back(f); },
            [&](const std::string& f) { files.push_back(f); });
  std::sort(folders.begin(), folders.end());
  std::sort(files.begin(), files.end());
  CHECK(folders == std::vector<std::string>{"content", "content/pages", "content/pages/acme"});
  // A symlinked folder is not followed: it is reported as an entry of its own.
  CHECK(files == std::vector<std::string>{"content/linked", "content/pages/acme/summer.md", "content/site.toml"});
}

TEST_CASE("watch's tree walk skips folders that vanish during the walk") {
  ScratchDir site;
  write_text(site / "content/a/one.md", "x");
  write_text(site / "content/b/two.md", "x");
  std::vector<std::string> files;
  // Whichever folder comes first deletes the other before it is listed.
  auto on_folder = [&](const std::string& folder) {
    if (folder == "content/a") fs::remove_all(site / "content/b");
    if (folder == "content/b") fs::remove_all(site / "content/a");
  };
  CHECK_NOTHROW(walk_tree(site.path(), "content", "", on_folder, [&](const std::string& f) { files.push_back(f); }));
  CHECK(files.size() == 1);
  CHECK((files == std::vector<std::string>{"content/a/one.md"} || files == std::vector<std::string>{"content/b/two.md"}));
  // A root that is gone altogether: nothing, and no exception.
  files.clear();
  CHECK_NOTHROW(walk_tree(site.path(), "static", "", [](const std::string&) {},
                          [&](const std::string& f) { files.push_back(f); }));
  CHECK(files.empty());
}
