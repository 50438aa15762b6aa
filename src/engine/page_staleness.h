// Stale-while-revalidate for the ISR origin. A rendered page depends on remote
// source S when it carries `source:S` or any `S:...` tag (ARCHITECTURE §3); it
// is stale once one of those sources' snapshots is past its `revalidate` (or
// `expire`) time, exactly when a build would refetch it (data::stale_at_ms). A
// source with neither time set is never stale.
//
// A StalenessIndex is loaded from the state index once, and again after each
// build (a build changes pages' tags and sources' fetch times); asking it is a
// hash lookup without the database. It is immutable once loaded, so threads
// may share one; a server swaps in the reloaded one.
//
// The origin serves a stale page as it is and queues one background build per
// page: run_build with `tags` = revalidation_tags(stale sources) refetches
// exactly those sources whatever their age, diffs their records and re-renders
// only the pages whose records changed — this one only if its own data did.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "site/site_config.h"
#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen {

class StalenessIndex {
 public:
  StalenessIndex() = default;  // knows no page: nothing is stale

  static Result<StalenessIndex> load(const DepIndex& index, const SiteConfig& config);

  // The remote sources of the page published at `output` (relative to out/,
  // "acme/summer/index.html") that are stale at `now_ms`, sorted. Empty for a
  // fresh page, a page without remote data, and a file that is no page.
  std::vector<std::string> stale_sources_of_output(const std::string& output, int64_t now_ms) const;
  // Every remote source some page shows that is stale at `now_ms`, sorted: what
  // a server refreshes on its timer, so pages published to a bucket (which no
  // request reaches) are regenerated too. A source no page shows is left alone.
  std::vector<std::string> stale_sources(int64_t now_ms) const;

 private:
  std::vector<std::string> stale_among(const std::vector<size_t>& sources, int64_t now_ms) const;

  std::vector<std::string> source_names_;  // sorted
  std::vector<int64_t> stale_at_ms_;       // by position in source_names_
  std::vector<size_t> shown_;              // positions of the sources some page shows, ascending
  std::unordered_map<std::string, std::vector<size_t>> sources_by_output_;  // positions in source_names_
};

// When each remote source of the site goes stale (unix ms, INT64_MAX: never),
// by name, from the snapshots in the index (data::stale_at_ms).
Result<std::map<std::string, int64_t>> remote_source_stale_times(const DepIndex& index, const SiteConfig& config);

// The revalidate tags that refetch `sources` now: "source:<name>" each.
std::vector<std::string> revalidation_tags(const std::vector<std::string>& sources);

}  // namespace isrgen
