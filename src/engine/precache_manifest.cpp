#include "engine/precache_manifest.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace isrgen {

std::string precache_manifest_json(std::vector<PrecacheEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const PrecacheEntry& a, const PrecacheEntry& b) { return a.url < b.url; });
  std::string text = "[\n";
  for (size_t i = 0; i < entries.size(); ++i) {
    text += "  {\"url\":" + nlohmann::json(entries[i].url).dump() +
            ",\"revision\":" + nlohmann::json(entries[i].revision).dump() + (i + 1 < entries.size() ? "},\n" : "}\n");
  }
  return text + "]\n";
}

PrecacheOutcome write_precache_manifests(const std::filesystem::path& out, const SiteConfig& config,
                                         const std::vector<const PageRecord*>& pages,
                                         const std::map<std::string, StoredStaticFile>& static_files, Disk& disk,
                                         const std::set<std::string>& former_tenants) {
  std::map<std::string, std::vector<PrecacheEntry>> by_tenant;
  for (const PageRecord* page : pages)
    if (config.tenants.contains(page->tenant) && config.tenants.at(page->tenant).precache)
      by_tenant[page->tenant].push_back({page->url, page->output_hash});
  for (const auto& [output, file] : static_files) {
    size_t slash = output.find('/');
    if (slash != std::string::npos) by_tenant[output.substr(0, slash)].push_back({output.substr(slash), file.hash});
  }
  PrecacheOutcome outcome;
  auto remove_if_there = [&](const std::string& manifest) {
    if (disk.signature(out, manifest).empty()) return;
    disk.remove(out, manifest);
    outcome.removed.push_back(manifest);
  };
  for (const std::string& gone : former_tenants)
    if (!config.tenants.contains(gone)) remove_if_there(gone + "/" + kPrecacheManifestName);
  for (const auto& [id, tenant] : config.tenants) {
    const std::string manifest = id + "/" + kPrecacheManifestName;
    if (static_files.contains(manifest)) {
      if (tenant.precache)
        outcome.errors.push_back(make_error("static/" + manifest, 0,
                                            "takes the place of the precache manifest ([tenants." + id +
                                                "] precache = true); rename the static file or turn precache off"));
      continue;
    }
    if (!tenant.precache) {
      remove_if_there(manifest);
      continue;
    }
    auto written = disk.write(out, manifest, precache_manifest_json(by_tenant[id]), WriteMode::kIfChanged);
    if (!written.ok()) outcome.errors.push_back(written.error());
    else if (written.value().written) outcome.written.push_back(manifest);
  }
  return outcome;
}

}  // namespace isrgen
