#include "engine/invalidation.h"

#include <algorithm>

#include "data/record_diff.h"
#include "data/source.h"
#include "site/dependency_tag.h"
#include "site/page_scan.h"

namespace isrgen {
namespace {

// "templates/layouts/page.mustache" -> the tags a change of it touches. A
// layout and a partial of the same name share the {{> name}} lookup (partials
// first), so adding or removing either can change what the other's users get.
std::vector<std::string> template_tags(const std::string& path) {
  const std::string extension = ".mustache";
  std::string inside = path.substr(std::string("templates/").size());
  size_t slash = inside.find('/');
  if (slash == std::string::npos || !inside.ends_with(extension)) return {};
  std::string folder = inside.substr(0, slash);
  std::string name = inside.substr(slash + 1, inside.size() - slash - 1 - extension.size());
  if (folder == "components") return {component_tag(name)};
  return {layout_tag(name), partial_tag(name)};
}

// The cache profiles, [cache] default and what each source asks of its pages'
// profiles: every page records its profile, so a change here touches them all.
bool same_cache_settings(const SiteConfig& before, const SiteConfig& now) {
  auto same_profile = [](const CacheProfile& a, const CacheProfile& b) { return a.name == b.name && a.same_times(b); };
  bool same = before.default_profile == now.default_profile &&
              std::equal(before.profiles.begin(), before.profiles.end(), now.profiles.begin(), now.profiles.end(),
                         [&](const auto& a, const auto& b) { return same_profile(a.second, b.second); });
  for (const auto& [name, source] : now.sources) {
    auto old_source = before.sources.find(name);
    same = same && old_source != before.sources.end() &&
           same_profile(old_source->second.page_cache(), source.page_cache());
  }
  return same;
}

void invalidate_config(const InputChange& change, const SiteConfig& config,
                       const std::function<std::optional<std::string>(const std::string&)>& snapshot_of,
                       Invalidation& result) {
  auto everything = [&](std::string why) {
    result.everything_reason = std::move(why);
  };
  std::optional<std::string> old_text = snapshot_of(change.path);
  if (!old_text) return everything(change.path + " changed");
  auto old_config = parse_site_config(*old_text, config.display_path);
  if (!old_config.ok()) return everything(change.path + " changed");
  const SiteConfig& before = old_config.value();
  bool same_site = before.site_table == config.site_table && before.languages == config.languages &&
                   before.limits == config.limits && before.images == config.images &&
                   before.default_language == config.default_language && before.unsafe_html == config.unsafe_html;
  bool same_sources = before.sources.size() == config.sources.size();
  for (const auto& [name, source] : config.sources) {
    auto old_source = before.sources.find(name);
    same_sources = same_sources && old_source != before.sources.end() && old_source->second.file == source.file &&
                   old_source->second.url == source.url;
  }
  if (!same_site || !same_sources) return everything(change.path + " changed ([site] or [sources])");
  if (!same_cache_settings(before, config)) return everything(change.path + " changed (cache profiles)");
  std::set<std::string> tenant_ids;
  for (const auto& [id, tenant] : config.tenants) tenant_ids.insert(id);
  for (const auto& [id, tenant] : before.tenants) tenant_ids.insert(id);
  for (const std::string& id : tenant_ids) {
    auto now = config.tenants.find(id);
    auto then = before.tenants.find(id);
    bool same = now != config.tenants.end() && then != before.tenants.end() && now->second.table == then->second.table;
    if (!same) result.tags.insert(tenant_tag(id));
  }
}

void invalidate_data(const InputChange& change, const SiteConfig& config, const data::SourceCatalog& sources,
                     const std::function<std::optional<std::string>(const std::string&)>& snapshot_of,
                     Invalidation& result) {
  for (const auto& [name, source_config] : config.sources) {
    if (source_config.is_remote() || change.path != "content/" + source_config.file) continue;
    // Whatever cannot be diffed (a broken or vanished file, no snapshot)
    // touches every page that read the source at all.
    auto broad = [&, name = name] {
      for (std::string& tag : whole_source_tags(name)) result.tags.insert(std::move(tag));
    };
    const Result<data::Source>* now = sources.find(name);
    std::optional<std::string> old_text = snapshot_of(change.path);
    if (change.removed || !now || !now->ok() || !old_text) {
      broad();
      continue;
    }
    auto before = data::parse_source(name, change.path, *old_text, config.limits.json_depth);
    if (!before.ok()) {
      broad();
      continue;
    }
    for (std::string& tag : data::invalidated_tags(&before.value(), now->value())) result.tags.insert(std::move(tag));
  }
}

}  // namespace

Invalidation invalidate(const InputScan& scan, const SiteConfig& config, const data::SourceCatalog& sources,
                        const std::function<std::optional<std::string>(const std::string&)>& snapshot_of) {
  Invalidation result;
  for (const InputChange& change : scan.changes) {
    switch (change.kind) {
      case InputKind::kSiteConfig:
        invalidate_config(change, config, snapshot_of, result);
        break;
      case InputKind::kPage:
        if (auto page = page_of_file(change.path, config)) result.tags.insert(page_tag(page->page));
        break;
      case InputKind::kTemplate:
        for (std::string& tag : template_tags(change.path)) result.tags.insert(std::move(tag));
        break;
      case InputKind::kData:
        invalidate_data(change, config, sources, snapshot_of, result);
        break;
      case InputKind::kStatic:
        // Pages that show or link the file (or asked for it while it was missing).
        result.tags.insert(asset_tag(change.path.substr(std::string("static/").size())));
        break;
    }
  }
  return result;
}

}  // namespace isrgen
