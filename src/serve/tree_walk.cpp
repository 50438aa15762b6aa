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
  std::vector<std::string> subfolders;
  // increment(error), not ++: the folder may vanish while it is listed, and
  // the throwing form would end the whole watch with an exception.
  for (; !error && entries != std::filesystem::directory_iterator(); entries.increment(error)) {
    const std::filesystem::directory_entry& entry = *entries;
    std::string path = folder + "/" + entry.path().filename().string();
    if (is_ignored_change(path, out_folder)) continue;
    std::error_code entry_error;  // an entry gone meanwhile is listed as a file, whose removal is reported anyway
    if (entry.is_directory(entry_error) && !entry.is_symlink(entry_error)) {
      subfolders.push_back(path);
    } else {
      on_file(path);
    }
  }
  // Descend after the listing so the iterator's folder handle is closed first.
  for (const std::string& sub : subfolders) walk_tree(site_root, sub, out_folder, on_folder, on_file);
}

}  // namespace isrgen::serve
