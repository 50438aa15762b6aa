// Atomic writes into a folder tree: new files linked into place whole,
// replaced files exchanged with spares whose inodes are rewritten only while
// nobody else can see them.
#include "util/atomic_file_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include <catch2/catch.hpp>

#include "test_support.h"
#include "util/fs.h"

using namespace isrgen;
using isrgen::testing::read_text;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

namespace {

struct Tree {
  ScratchDir dir;
  fs::path temp = dir / ".isrgen-tmp";
  Tree() { fs::create_directories(temp); }
  size_t temp_entries() const {
    size_t count = 0;
    for (const auto& entry : fs::directory_iterator(temp)) {
      (void)entry;
      ++count;
    }
    return count;
  }
};

ino_t inode_of(const fs::path& path) {
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

std::string replaced(AtomicFileWriter& writer, const fs::path& path, const std::string& bytes) {
  auto written = writer.replace(path, bytes);
  REQUIRE(written.ok());
  return written.value().signature;
}

}  // namespace

TEST_CASE("create writes a new file whole, making its folders, and leaves no temporary file",
          "[util][atomic_writer]") {
  for (bool unnamed : {true, false}) {
    Tree tree;
    AtomicFileWriter writer(tree.temp, WriterFeatures{unnamed, true, true});
    const fs::path target = tree.dir / "acme/en/summer/index.html";
    AtomicFileWriter::Written written;
    auto created = writer.create(target, "<h1>Summer</h1>", written);
    REQUIRE(created.ok());
    CHECK(created.value() == AtomicFileWriter::Created::kCreated);
    CHECK(read_text(target) == "<h1>Summer</h1>");
    CHECK(written.signature == file_signature(target));
    CHECK(tree.temp_entries() == 0);
    CHECK((fs::status(target).permissions() & fs::perms::others_read) != fs::perms::none);
  }
}

TEST_CASE("create never replaces a file that is there", "[util][atomic_writer]") {
  for (bool unnamed : {true, false}) {
    Tree tree;
    AtomicFileWriter writer(tree.temp, WriterFeatures{unnamed, true, true});
    const fs::path target = tree.dir / "page/index.html";
    write_text(target, "by hand");
    const ino_t before = inode_of(target);
    AtomicFileWriter::Written written;
    auto created = writer.create(target, "generated", written);
    REQUIRE(created.ok());
    CHECK(created.value() == AtomicFileWriter::Created::kExists);
    CHECK(read_text(target) == "by hand");
    CHECK(inode_of(target) == before);
  }
}

TEST_CASE("replace exchanges the file, and the old inode is rewritten for the next replacement",
          "[util][atomic_writer]") {
  Tree tree;
  AtomicFileWriter writer(tree.temp);
  const fs::path first = tree.dir / "a/index.html";
  const fs::path second = tree.dir / "b/index.html";
  write_text(first, std::string(5000, 'a'));
  write_text(second, std::string(3000, 'b'));
  const ino_t first_old = inode_of(first);

  const std::string signature = replaced(writer, first, "new a");
  CHECK(read_text(first) == "new a");
  CHECK(signature == file_signature(first));
  CHECK(writer.spare_count() == 1);  // the old inode of a/index.html

  replaced(writer, second, "new b");
  CHECK(read_text(second) == "new b");  // written over 5,000 old bytes, the tail cut
  CHECK(inode_of(second) == first_old);
  CHECK(writer.spare_count() == 1);
  CHECK(tree.temp_entries() == 1);
}

TEST_CASE("a replaced file someone still has open keeps its bytes for them", "[util][atomic_writer]") {
  Tree tree;
  AtomicFileWriter writer(tree.temp);
  const fs::path page = tree.dir / "a/index.html";
  const fs::path other = tree.dir / "b/index.html";
  write_text(page, "old page");
  write_text(other, "old other");
  const ino_t page_old = inode_of(page);
  int reader = ::open(page.c_str(), O_RDONLY);
  REQUIRE(reader >= 0);

  replaced(writer, page, "new page");
  replaced(writer, other, "a longer text for the other page");
  CHECK(inode_of(other) != page_old);  // not rewritten while the reader holds it
  char buffer[64] = {};
  CHECK(::pread(reader, buffer, sizeof buffer, 0) == 8);
  CHECK(std::string(buffer) == "old page");
  ::close(reader);
  CHECK(read_text(page) == "new page");
  CHECK(read_text(other) == "a longer text for the other page");
}

TEST_CASE("a replaced file with another link is never rewritten", "[util][atomic_writer]") {
  Tree tree;
  AtomicFileWriter writer(tree.temp);
  const fs::path page = tree.dir / "out/a/index.html";
  const fs::path backup = tree.dir / "backup/a/index.html";
  write_text(page, "published");
  fs::create_directories(backup.parent_path());
  fs::create_hard_link(page, backup);
  write_text(tree.dir / "out/b/index.html", "other");

  replaced(writer, page, "new a");
  replaced(writer, tree.dir / "out/b/index.html", "new b");
  CHECK(read_text(backup) == "published");
  CHECK(read_text(page) == "new a");
}

TEST_CASE("replace refuses a folder at the path and leaves it as it was", "[util][atomic_writer]") {
  for (bool exchange : {true, false}) {
    Tree tree;
    AtomicFileWriter writer(tree.temp, WriterFeatures{true, exchange, true});
    const fs::path folder = tree.dir / "a/index.html";
    write_text(folder / "keep.txt", "kept");
    auto written = writer.replace(folder, "page");
    REQUIRE_FALSE(written.ok());
    CHECK(written.error().message.find("folder") != std::string::npos);
    CHECK(read_text(folder / "keep.txt") == "kept");
    CHECK(writer.spare_count() == 0);
  }
}

TEST_CASE("replace puts a file in place of a link, and leaves what it led to alone", "[util][atomic_writer]") {
  Tree tree;
  AtomicFileWriter writer(tree.temp);
  const fs::path outside = tree.dir / "outside.txt";
  const fs::path page = tree.dir / "out/index.html";
  write_text(outside, "outside");
  fs::create_directories(page.parent_path());
  fs::create_symlink(outside, page);
  replaced(writer, page, "page");
  CHECK_FALSE(fs::is_symlink(page));
  CHECK(read_text(page) == "page");
  CHECK(read_text(outside) == "outside");
  CHECK(writer.spare_count() == 0);  // the link itself went, as a rename over it does
}

TEST_CASE("replace of a file that went meanwhile creates it", "[util][atomic_writer]") {
  for (bool exchange : {true, false}) {
    Tree tree;
    AtomicFileWriter writer(tree.temp, WriterFeatures{true, exchange, true});
    const fs::path page = tree.dir / "gone/index.html";
    replaced(writer, page, "back");
    CHECK(read_text(page) == "back");
    CHECK(tree.temp_entries() == 0);
  }
}

TEST_CASE("without exchange, replace renames over the file", "[util][atomic_writer]") {
  Tree tree;
  AtomicFileWriter writer(tree.temp, WriterFeatures{false, false, true});
  const fs::path page = tree.dir / "a/index.html";
  write_text(page, "old");
  const ino_t before = inode_of(page);
  replaced(writer, page, "new");
  CHECK(read_text(page) == "new");
  CHECK(inode_of(page) != before);
  CHECK(tree.temp_entries() == 0);
}

TEST_CASE("threads replacing and creating files at once each get their own bytes", "[util][atomic_writer]") {
  Tree tree;
  AtomicFileWriter writer(tree.temp);
  constexpr int kFiles = 200;
  for (int i = 0; i < kFiles; i += 4) write_text(tree.dir / ("p" + std::to_string(i) + "/index.html"), "old");
  auto work = [&](int first) {
    for (int i = first; i < kFiles; i += 2) {
      const fs::path path = tree.dir / ("p" + std::to_string(i) + "/index.html");
      const std::string bytes = std::string(static_cast<size_t>(i * 7 % 300), 'x') + std::to_string(i);
      if (i % 4 == 0) {
        REQUIRE(writer.replace(path, bytes).ok());
      } else {
        AtomicFileWriter::Written written;
        REQUIRE(writer.create(path, bytes, written).ok());
      }
    }
  };
  std::thread even(work, 0), odd(work, 1);
  even.join();
  odd.join();
  for (int i = 0; i < kFiles; ++i)
    CHECK(read_text(tree.dir / ("p" + std::to_string(i) + "/index.html")) ==
          std::string(static_cast<size_t>(i * 7 % 300), 'x') + std::to_string(i));
}
