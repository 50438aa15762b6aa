#include "site/site_paths.h"

namespace isrgen {

namespace {

// Absolute and normal, without a trailing separator ("." is "/x/y", not "/x/y/"):
// site-relative paths are cut off these folders as strings.
std::filesystem::path normal_folder(const std::filesystem::path& folder) {
  std::filesystem::path normal = std::filesystem::absolute(folder).lexically_normal();
  if (normal.has_relative_path() && normal.filename().empty()) normal = normal.parent_path();
  return normal;
}

}  // namespace

SitePaths make_site_paths(const std::filesystem::path& root, const std::filesystem::path& out_or_empty) {
  SitePaths paths;
  paths.root = normal_folder(root);
  paths.out = out_or_empty.empty() ? paths.root / "out" : normal_folder(out_or_empty);
  paths.state = paths.root / ".isrgen";
  return paths;
}

}  // namespace isrgen
