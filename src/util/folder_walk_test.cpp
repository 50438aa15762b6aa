#include "util/folder_walk.h"

#include <cerrno>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;
namespace fs = std::filesystem;

namespace {

// The real disk, but folders named here fail to list with their errno.
class FailingLister final : public FolderLister {
 public:
  explicit FailingLister(std::map<fs::path, int> failures) : failures_(std::move(failures)) {}
  FolderListing list(const fs::path& folder) const override {
    if (auto failure = failures_.find(folder); failure != failures_.end()) return FolderListing{{}, failure->second};
    return disk_folder_lister().list(folder);
  }

 private:
  std::map<fs::path, int> failures_;
};

std::set<std::string> files_below(const FolderLister& lister, const fs::path& root, Status& status,
                                  const WalkOptions& options = {}) {
  std::set<std::string> files;
  status = walk_folders(
      lister, root,
      [&](const std::string& relative, const std::vector<FolderEntry>& entries) {
        for (const FolderEntry& entry : entries)
          if (entry.type != FolderEntry::Type::kFolder) files.insert((relative.empty() ? "" : relative + "/") + entry.name);
        return true;
      },
      options);
  return files;
}

}  // namespace

TEST_CASE("walk_folders visits every folder once, parents first, links not followed", "[util][walk]") {
  ScratchDir root;
  write_text(root / "a.md", "a");
  write_text(root / "x/b.md", "b");
  write_text(root / "x/y/c.md", "c");
  fs::create_directory_symlink(root / "x", root / "link-to-x");
  Status status;
  CHECK(files_below(disk_folder_lister(), root.path(), status) ==
        std::set<std::string>{"a.md", "link-to-x", "x/b.md", "x/y/c.md"});
  CHECK(status.ok());

  WalkOptions skip_x;
  skip_x.skip = [](const std::string& folder) { return folder == "x"; };
  CHECK(files_below(disk_folder_lister(), root.path(), status, skip_x) == std::set<std::string>{"a.md", "link-to-x"});
}

TEST_CASE("walk_folders fails on a folder it cannot list, and skips one that vanished", "[util][walk]") {
  ScratchDir root;
  write_text(root / "a.md", "a");
  write_text(root / "x/b.md", "b");
  write_text(root / "z/c.md", "c");
  Status status;
  files_below(FailingLister({{root / "x", EACCES}}), root.path(), status);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == ErrorKind::kEnvironment);
  CHECK(status.error().to_string() == (root / "x").string() + ": cannot list the folder: Permission denied");

  // A folder gone between its parent's listing and its own is no fault.
  CHECK(files_below(FailingLister({{root / "x", ENOENT}}), root.path(), status) ==
        std::set<std::string>{"a.md", "z/c.md"});
  CHECK(status.ok());

  // A missing root is empty, or an error when the caller says so.
  CHECK(files_below(disk_folder_lister(), root / "none", status).empty());
  CHECK(status.ok());
  WalkOptions must_exist;
  must_exist.missing_root_is_empty = false;
  files_below(disk_folder_lister(), root / "none", status, must_exist);
  CHECK_FALSE(status.ok());
}
