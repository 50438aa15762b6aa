// The files behind pages' asset references in the output: image variants
// (copied from the encode-once cache under .isrgen/assets/) and fingerprinted
// stylesheets and scripts (copied from static/), published beside the static
// copies and removed once no page uses them. The state index records each
// with its source and the signature of its copy, and which pages use it.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "assets/asset_pipeline.h"
#include "engine/disk.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen {

struct AssetPublishing {
  std::map<std::string, StoredAssetOutput> written;  // written, or found changed and written again; by output
  std::vector<std::string> removed;                  // no page uses them any more: gone from the output
  std::vector<Error> errors;                         // outputs that could not be written
};

// Publishes `used_now` (the asset outputs of the pages rendered by this
// build) into the output on `disk`, skipping those whose copies are as
// `previous` recorded them, and removes the outputs of `previous` that
// neither they nor `used_elsewhere` (the outputs of the pages not rendered,
// failed ones included) use. Image bytes come from `cache_folder`.
AssetPublishing publish_asset_outputs(const SitePaths& paths, const SiteConfig& config,
                                      const std::map<std::string, assets::AssetOutput>& used_now,
                                      const std::set<std::string>& used_elsewhere,
                                      const std::map<std::string, StoredAssetOutput>& previous,
                                      const std::filesystem::path& cache_folder, Disk& disk);

// Removes from `cache_folder` the variants of the outputs `removed` (named by
// `before`, what the index recorded at the start of the build) that none of
// the outputs recorded now (`before` less `removed`, with `written`) still
// uses, so the cache, and the remote state that carries it, holds what the
// output does. Best effort: a variant left behind costs only its space.
void forget_unused_variants(const std::filesystem::path& cache_folder,
                            const std::map<std::string, StoredAssetOutput>& before,
                            const std::map<std::string, StoredAssetOutput>& written,
                            const std::vector<std::string>& removed);

// The asset tags of the sources of those `recorded` outputs whose copies in
// the output are missing or were edited: rendering the pages that show them
// publishes them again.
std::vector<std::string> damaged_asset_tags(const SitePaths& paths, const std::map<std::string, StoredAssetOutput>& recorded,
                                            const Disk& disk);

}  // namespace isrgen
