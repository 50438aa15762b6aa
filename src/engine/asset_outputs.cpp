#include "engine/asset_outputs.h"

#include "site/dependency_tag.h"
#include "util/confined_file.h"
#include "util/fs.h"

namespace isrgen {
namespace {

const std::string kStaticPrefix = "static/";

Result<std::string> bytes_of(const SitePaths& paths, const SiteConfig& config, const assets::AssetOutput& asset,
                             const std::filesystem::path& cache_folder, const Disk& disk) {
  if (asset.cache_file.empty())
    return disk.read(paths.root, asset.source, static_cast<size_t>(config.limits.static_bytes),
                     InputLimits::setting("static_bytes"));
  // The cache may come from a remote state: read beneath its folder, bounded.
  auto cached = read_file_beneath(cache_folder, asset.cache_file, static_cast<size_t>(config.limits.image_bytes),
                                  "limits.image_bytes");
  if (!cached.ok()) {
    Error error = cached.error();
    error.message += " (the encode-once cache lost a variant: build again to encode it anew)";
    return error;
  }
  return cached;
}

}  // namespace

AssetPublishing publish_asset_outputs(const SitePaths& paths, const SiteConfig& config,
                                      const std::map<std::string, assets::AssetOutput>& used_now,
                                      const std::set<std::string>& used_elsewhere,
                                      const std::map<std::string, StoredAssetOutput>& previous,
                                      const std::filesystem::path& cache_folder, Disk& disk) {
  AssetPublishing publishing;
  for (const auto& [output, asset] : used_now) {
    auto before = previous.find(output);
    if (before != previous.end() && before->second.source_hash == asset.source_hash &&
        before->second.cache_file == asset.cache_file && before->second.signature == disk.signature(paths.out, output))
      continue;
    auto bytes = bytes_of(paths, config, asset, cache_folder, disk);
    if (!bytes.ok()) {
      publishing.errors.push_back(bytes.error());
      continue;
    }
    auto written = disk.write(paths.out, output, bytes.value(), WriteMode::kIfChanged);
    if (!written.ok()) {
      publishing.errors.push_back(written.error());
      continue;
    }
    publishing.written.emplace(output,
                               StoredAssetOutput{asset.source, asset.source_hash, asset.cache_file, written.value().signature});
  }
  for (const auto& [output, file] : previous) {
    if (used_now.contains(output) || used_elsewhere.contains(output)) continue;
    disk.remove(paths.out, output);
    publishing.removed.push_back(output);
  }
  return publishing;
}

void forget_unused_variants(const std::filesystem::path& cache_folder,
                            const std::map<std::string, StoredAssetOutput>& before,
                            const std::map<std::string, StoredAssetOutput>& written,
                            const std::vector<std::string>& removed) {
  if (removed.empty()) return;
  std::set<std::string> gone(removed.begin(), removed.end());
  std::set<std::string> still_used;
  for (const auto& [output, file] : before)
    if (!gone.contains(output) && !written.contains(output)) still_used.insert(file.cache_file);
  for (const auto& [output, file] : written) still_used.insert(file.cache_file);
  for (const std::string& output : removed) {
    auto file = before.find(output);
    if (file == before.end() || file->second.cache_file.empty() || still_used.contains(file->second.cache_file))
      continue;
    std::error_code ignored;
    std::filesystem::remove(cache_folder / file->second.cache_file, ignored);
  }
}

std::vector<std::string> damaged_asset_tags(const SitePaths& paths, const std::map<std::string, StoredAssetOutput>& recorded,
                                            const Disk& disk) {
  std::vector<std::string> tags;
  for (const auto& [output, file] : recorded)
    if (disk.signature(paths.out, output) != file.signature)
      tags.push_back(asset_tag(file.source.starts_with(kStaticPrefix) ? file.source.substr(kStaticPrefix.size())
                                                                       : file.source));  // a remote image's URL
  sort_unique(tags);
  return tags;
}

}  // namespace isrgen
