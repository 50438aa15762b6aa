#include "watch/tree_walk.h"

#include <vector>

#include "util/folder_walk.h"
#include "watch/change_filter.h"

namespace isrgen::watch {

void walk_tree(const std::filesystem::path& site_root, const std::string& folder, std::string_view out_folder,
               const PathVisitor& on_folder, const PathVisitor& on_file) {
  on_folder(folder);
  // A folder that vanished, or cannot be listed, is left unwatched: the build
  // it would trigger lists the site's folders itself and reports one that
  // cannot be read.
  FolderListing listing = disk_folder_lister().list(site_root / folder);
  std::vector<std::string> subfolders;
  for (const FolderEntry& entry : listing.entries) {
    std::string path = folder + "/" + entry.name;
    if (is_ignored_change(path, out_folder)) continue;
    if (entry.type == FolderEntry::Type::kFolder) subfolders.push_back(path);
    else on_file(path);
  }
  for (const std::string& sub : subfolders) walk_tree(site_root, sub, out_folder, on_folder, on_file);
}

}  // namespace isrgen::watch
