#include "serve/tree_walk.h"

#include <system_error>
#include <vector>

#include "serve/change_filter.h"

namespace isrgen::serve {

void walk_tree(const std::filesystem::path& site_root, const std::string& folder, std::string_view out_folder,
               const PathVisitor& on_folder, const PathVisitor& on_file) {
  on_folder(folder);
  std::error_code error;
  std::filesystem::directory_iterator entries(site_root / folder, error);
  if (error) return;
  std::vector<std::string> subfolders;
  for (const auto& entry : entries) {
    std::string path = folder + "/" + entry.path().filename().string();
    if (is_ignored_change(path, out_folder)) continue;
    if (entry.is_directory(error) && !entry.is_symlink(error)) {
      subfolders.push_back(path);
    } else {
      on_file(path);
    }
  }
  // Descend after the listing so the iterator's folder handle is closed first.
  for (const std::string& sub : subfolders) walk_tree(site_root, sub, out_folder, on_folder, on_file);
}

}  // namespace isrgen::serve
