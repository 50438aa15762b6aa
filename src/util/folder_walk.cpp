#include "util/folder_walk.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace isrgen {
namespace {

namespace fs = std::filesystem;

FolderEntry::Type type_of(unsigned char d_type, const fs::path& folder, const char* name) {
  if (d_type == DT_UNKNOWN) {  // some file systems do not say: ask
    struct stat st {};
    std::string path = (folder / name).string();
    if (::lstat(path.c_str(), &st) != 0) return FolderEntry::Type::kFile;  // gone meanwhile: as a file, it is missed
    d_type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
  }
  switch (d_type) {
    case DT_REG: return FolderEntry::Type::kFile;
    case DT_DIR: return FolderEntry::Type::kFolder;
    case DT_LNK: return FolderEntry::Type::kLink;
    default: return FolderEntry::Type::kOther;
  }
}

class DiskFolderLister final : public FolderLister {
 public:
  FolderListing list(const fs::path& folder) const override {
    FolderListing listing;
    DIR* dir = ::opendir(folder.c_str());
    if (!dir) {
      listing.error = errno;
      return listing;
    }
    for (;;) {
      errno = 0;
      const dirent* entry = ::readdir(dir);
      if (!entry) {
        listing.error = errno;  // 0 at the end of the folder
        break;
      }
      if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) continue;
      listing.entries.push_back({entry->d_name, type_of(entry->d_type, folder, entry->d_name)});
    }
    ::closedir(dir);
    return listing;
  }
};

Status walk_below(const FolderLister& lister, const fs::path& root, const std::string& relative,
                  const FolderVisitor& visit, const WalkOptions& options) {
  const fs::path folder = relative.empty() ? root : root / relative;
  FolderListing listing = lister.list(folder);
  if (listing.error == ENOENT && (!relative.empty() || options.missing_root_is_empty)) return Status::Ok();
  if (listing.error != 0)
    return make_environment_error(folder.string(), std::string("cannot list the folder: ") + std::strerror(listing.error));
  if (!visit(relative, listing.entries)) return Status::Ok();
  for (const FolderEntry& entry : listing.entries) {
    if (entry.type != FolderEntry::Type::kFolder) continue;
    std::string sub = relative.empty() ? entry.name : relative + "/" + entry.name;
    if (options.skip && options.skip(sub)) continue;
    if (Status walked = walk_below(lister, root, sub, visit, options); !walked.ok()) return walked;
  }
  return Status::Ok();
}

}  // namespace

const FolderLister& disk_folder_lister() {
  static const DiskFolderLister lister;
  return lister;
}

Status walk_folders(const FolderLister& lister, const fs::path& root, const FolderVisitor& visit,
                    const WalkOptions& options) {
  return walk_below(lister, root, "", visit, options);
}

}  // namespace isrgen
