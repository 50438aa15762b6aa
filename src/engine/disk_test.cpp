// The real disk's writes into an output folder: unchanged bytes left alone,
// a file seen missing created, and one that appeared meanwhile compared first.
#include "engine/disk.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "test_support.h"
#include "util/fs.h"

using namespace isrgen;
using isrgen::testing::read_text;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

namespace {

struct Output {
  ScratchDir dir;
  fs::path out = dir / "out";
  RealDisk disk;
  Output() { REQUIRE(disk.prepare_output(out).ok()); }
  ~Output() { disk.finish_output(out); }
  WrittenFile write(const std::string& file, const std::string& bytes, WriteMode mode) {
    auto written = disk.write(out, file, bytes, mode);
    REQUIRE(written.ok());
    return written.value();
  }
};

ino_t inode_of(const fs::path& path) {
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

}  // namespace

TEST_CASE("RealDisk: a file that holds the bytes already is left alone", "[build][disk]") {
  Output output;
  WrittenFile first = output.write("a/index.html", "page", WriteMode::kCreate);
  CHECK(first.written);
  CHECK(first.signature == file_signature(output.out / "a/index.html"));
  const ino_t before = inode_of(output.out / "a/index.html");

  WrittenFile same = output.write("a/index.html", "page", WriteMode::kIfChanged);
  CHECK_FALSE(same.written);
  CHECK(same.signature == first.signature);
  CHECK(inode_of(output.out / "a/index.html") == before);

  WrittenFile changed = output.write("a/index.html", "page, edited", WriteMode::kIfChanged);
  CHECK(changed.written);
  CHECK(read_text(output.out / "a/index.html") == "page, edited");
  CHECK(changed.signature == file_signature(output.out / "a/index.html"));
}

TEST_CASE("RealDisk: a file created where one appeared since is compared, not blindly kept", "[build][disk]") {
  Output output;
  write_text(output.out / "b/index.html", "same");
  CHECK_FALSE(output.write("b/index.html", "same", WriteMode::kCreate).written);
  write_text(output.out / "c/index.html", "by hand");
  CHECK(output.write("c/index.html", "generated", WriteMode::kCreate).written);
  CHECK(read_text(output.out / "c/index.html") == "generated");
}

TEST_CASE("RealDisk: kReplace rewrites without comparing, and finish_output clears the spares", "[build][disk]") {
  Output output;
  write_text(output.out / "d/index.html", "old");
  WrittenFile replaced = output.write("d/index.html", "new", WriteMode::kReplace);
  CHECK(replaced.written);
  CHECK(read_text(output.out / "d/index.html") == "new");
  output.disk.finish_output(output.out);
  CHECK_FALSE(fs::exists(output.out / ".isrgen-tmp"));
}

TEST_CASE("RealDisk: a link at an output is replaced by a file, even one leading to the same bytes", "[build][disk]") {
  Output output;
  write_text(output.dir / "elsewhere.html", "page");
  fs::create_directories(output.out / "e");
  fs::create_symlink(output.dir / "elsewhere.html", output.out / "e/index.html");
  WrittenFile written = output.write("e/index.html", "page", WriteMode::kIfChanged);
  CHECK(written.written);
  CHECK_FALSE(fs::is_symlink(output.out / "e/index.html"));
  CHECK(read_text(output.out / "e/index.html") == "page");
  CHECK(written.signature == file_signature(output.out / "e/index.html"));
  CHECK(read_text(output.dir / "elsewhere.html") == "page");
}
