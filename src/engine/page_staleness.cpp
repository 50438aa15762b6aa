#include "engine/page_staleness.h"

#include <algorithm>
#include <limits>
#include <set>

#include "data/source_refresh.h"
#include "site/dependency_tag.h"

namespace isrgen {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();


std::set<std::string> remote_sources_of(const std::vector<std::string>& tags, const SiteConfig& config) {
  std::set<std::string> sources;
  for (const std::string& tag : tags) sources.merge(data::remote_sources_named(tag, config));
  return sources;
}

}  // namespace

Result<std::map<std::string, int64_t>> remote_source_stale_times(const DepIndex& index, const SiteConfig& config) {
  auto snapshots = index.load_source_snapshots();
  if (!snapshots.ok()) return snapshots.error();
  std::map<std::string, int64_t> times;
  for (const auto& [name, source] : config.sources) {
    if (!source.is_remote()) continue;
    auto snapshot = snapshots.value().find(name);
    times.emplace(name, data::stale_at_ms(snapshot == snapshots.value().end() ? nullptr : &snapshot->second, source));
  }
  return times;
}

Result<StalenessIndex> StalenessIndex::load(const DepIndex& index, const SiteConfig& config) {
  auto times = remote_source_stale_times(index, config);
  if (!times.ok()) return times.error();
  StalenessIndex staleness;
  std::vector<std::string> tag_patterns;
  std::map<std::string, size_t> position;
  for (const auto& [name, stale_at] : times.value()) {
    if (stale_at == kNever) continue;  // no page is ever stale for it
    position.emplace(name, staleness.source_names_.size());
    staleness.source_names_.push_back(name);
    staleness.stale_at_ms_.push_back(stale_at);
    for (std::string& tag : whole_source_tags(name)) tag_patterns.push_back(std::move(tag));
  }
  if (tag_patterns.empty()) return staleness;
  auto carrying = index.pages_with_tags(tag_patterns);
  if (!carrying.ok()) return carrying.error();
  auto pages = index.load_pages();
  if (!pages.ok()) return pages.error();
  for (const auto& [key, tags] : carrying.value()) {
    auto page = pages.value().find(key);
    if (page == pages.value().end()) continue;
    std::vector<size_t>& sources = staleness.sources_by_output_[page->second.output];
    for (const std::string& source : remote_sources_of(tags, config))
      if (auto at = position.find(source); at != position.end()) sources.push_back(at->second);
  }
  std::set<size_t> shown;
  for (const auto& [output, sources] : staleness.sources_by_output_) shown.insert(sources.begin(), sources.end());
  staleness.shown_.assign(shown.begin(), shown.end());
  return staleness;
}

std::vector<std::string> StalenessIndex::stale_among(const std::vector<size_t>& sources, int64_t now_ms) const {
  std::vector<std::string> stale;
  for (size_t source : sources)
    if (now_ms >= stale_at_ms_[source]) stale.push_back(source_names_[source]);
  return stale;  // sorted: positions follow source_names_, which is sorted
}

std::vector<std::string> StalenessIndex::stale_sources(int64_t now_ms) const { return stale_among(shown_, now_ms); }

std::vector<std::string> StalenessIndex::stale_sources_of_output(const std::string& output, int64_t now_ms) const {
  auto found = sources_by_output_.find(output);
  return found == sources_by_output_.end() ? std::vector<std::string>() : stale_among(found->second, now_ms);
}

std::vector<std::string> revalidation_tags(const std::vector<std::string>& sources) {
  std::vector<std::string> tags;
  for (const std::string& source : sources) tags.push_back(source_tag(source));
  return tags;
}

}  // namespace isrgen
