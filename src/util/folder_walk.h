// Listing folders: the one way every walk of isrgen reads a folder (inputs,
// templates, outputs to sync or verify, a folder bucket, the watcher), behind
// a seam, as ninja's DiskInterface, so tests can make any folder fail to list.
// A folder that cannot be listed is an error, never an empty folder: taken as
// empty, every file below it would look deleted, and its outputs would go.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "util/error.h"

namespace isrgen {

struct FolderEntry {
  enum class Type { kFile, kFolder, kLink, kOther };  // kLink: a symbolic link, never followed as a folder
  std::string name;
  Type type = Type::kFile;
};

struct FolderListing {
  std::vector<FolderEntry> entries;  // without "." and ".."; in the order the file system gives
  int error = 0;                     // errno when the folder could not be listed, else 0
};

class FolderLister {
 public:
  virtual ~FolderLister() = default;
  // The entries of `folder`, or the errno of what stopped the listing.
  virtual FolderListing list(const std::filesystem::path& folder) const = 0;
};

// The real disk: opendir and readdir (types come with the names).
const FolderLister& disk_folder_lister();

// (relative folder, "" for the root; its entries). Returns whether to descend
// into the subfolders listed.
using FolderVisitor =
    std::function<bool(const std::string& relative_folder, const std::vector<FolderEntry>& entries)>;

struct WalkOptions {
  bool missing_root_is_empty = true;  // else a missing root is an error
  // Folders (relative to the root) neither visited nor descended into.
  std::function<bool(const std::string& relative_folder)> skip;
};

// Visits `root` and every folder below it, parents before children; links to
// folders are not followed. A subfolder that vanished meanwhile is skipped; any
// other failure to list stops the walk with an environment error naming the
// folder and the reason.
Status walk_folders(const FolderLister& lister, const std::filesystem::path& root, const FolderVisitor& visit,
                    const WalkOptions& options = {});

}  // namespace isrgen
