// Where things live in a site folder (ARCHITECTURE §1), resolved once.
#pragma once

#include <filesystem>

namespace isrgen {

struct SitePaths {
  std::filesystem::path root;       // the site folder
  std::filesystem::path out;        // generated output (default <root>/out)
  std::filesystem::path state;      // the state folder (default <root>/.isrgen)
  std::filesystem::path content() const { return root / "content"; }
  std::filesystem::path pages() const { return root / "content" / "pages"; }
  std::filesystem::path config() const { return root / "content" / "site.toml"; }
  std::filesystem::path templates() const { return root / "templates"; }
  std::filesystem::path static_files() const { return root / "static"; }
  std::filesystem::path state_db() const { return state / "state.db"; }
  // The encode-once cache of image variants (assets/asset_pipeline.h).
  std::filesystem::path asset_cache() const { return state / "assets"; }
  // Temporary files of atomic writes into the output; cleared by every build.
  std::filesystem::path out_temp() const { return out / ".isrgen-tmp"; }
};

SitePaths make_site_paths(const std::filesystem::path& root, const std::filesystem::path& out_or_empty);

}  // namespace isrgen
