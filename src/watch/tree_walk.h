// A walk over one watched folder that skips what the change filter ignores.
// Each folder is announced before its entries are listed, so an inotify watch
// added in `on_folder` sees every file created after the listing began.
// Symlinked folders are not followed (no loops, no watching outside the site).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace isrgen::watch {

using PathVisitor = std::function<void(const std::string& site_relative)>;

// `folder` is site-relative; folders that vanish during the walk are skipped.
void walk_tree(const std::filesystem::path& site_root, const std::string& folder, std::string_view out_folder,
               const PathVisitor& on_folder, const PathVisitor& on_file);

}  // namespace isrgen::watch
