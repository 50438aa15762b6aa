#include "site/site_paths.h"

namespace isrgen {

SitePaths make_site_paths(const std::filesystem::path& root, const std::filesystem::path& out_or_empty) {
  SitePaths paths;
  paths.root = std::filesystem::absolute(root).lexically_normal();
  paths.out = out_or_empty.empty() ? paths.root / "out" : std::filesystem::absolute(out_or_empty).lexically_normal();
  paths.state = paths.root / ".isrgen";
  return paths;
}

}  // namespace isrgen
