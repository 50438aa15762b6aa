#include "util/fs.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;

TEST_CASE("write_file_atomic creates folders and leaves no temp files") {
  ScratchDir dir;
  auto target = dir / "a/b/c.html";
  REQUIRE(write_file_atomic(target, "hello").ok());
  CHECK(read_file(target).value() == "hello");
  int entries = 0;
  for (auto& entry : fs::directory_iterator(target.parent_path())) {
    (void)entry;
    ++entries;
  }
  CHECK(entries == 1);
}

TEST_CASE("read_file reports the path and reason") {
  auto missing = read_file("/nonexistent/isrgen/file");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().to_string().find("/nonexistent/isrgen/file: cannot read") == 0);
  CHECK(missing.error().kind == ErrorKind::kInput);
}

TEST_CASE("read_error: a path that leads nowhere is the input's error, the rest the machine's") {
  for (int input : {ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EISDIR}) {
    Error error = read_error("content/pages/a.md", input);
    CHECK(error.kind == ErrorKind::kInput);
    CHECK(error.to_string() == std::string("content/pages/a.md: cannot read: ") + std::strerror(input));
  }
  for (int environment : {EACCES, EPERM, EIO, EMFILE, ENFILE, ENOMEM, ESTALE})
    CHECK(read_error("content/pages/a.md", environment).kind == ErrorKind::kEnvironment);
}

TEST_CASE("remove_file_and_empty_parents stops at the root and at non-empty folders") {
  ScratchDir dir;
  isrgen::testing::write_text(dir / "out/acme/a/b/index.html", "x");
  isrgen::testing::write_text(dir / "out/acme/keep.txt", "x");
  remove_file_and_empty_parents(dir / "out/acme/a/b/index.html", dir / "out");
  CHECK_FALSE(fs::exists(dir / "out/acme/a"));
  CHECK(fs::exists(dir / "out/acme/keep.txt"));
}
