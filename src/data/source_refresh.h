// Remote data sources before a build renders (ISR). Decides which sources to
// refetch — never fetched, stale (past `revalidate`), past `expire`, settings
// changed, or named by `revalidate --tag` — fetches them all at once, each
// once, with conditional requests, and decides what the build serves of each:
//
//   fresh records        a 200 (diffed against the snapshot) or a 304 (the snapshot, confirmed)
//   the stale snapshot   the refetch failed: stale-if-error, the source is degraded
//   the bundled fallback never fetched successfully and the origin cannot be reached
//   nothing              none of the above, or the snapshot is past `expire`: components
//                        render their empty state and the pages are degraded
//
// A transient failure never replaces records that were good: the snapshot
// changes only when a valid response arrives.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "data/env_expand.h"
#include "data/http_fetcher.h"
#include "data/source.h"
#include "data/source_snapshot.h"
#include "site/site_config.h"
#include "util/clock.h"

namespace isrgen::data {

struct RefreshRequest {
  bool refresh_stale = true;   // refetch sources past `revalidate` (build, revalidate --expired)
  bool refetch_all = false;    // build --force
  bool offline = false;        // fetch nothing: serve what the snapshots hold (build --offline, --verify)
  std::set<std::string> named;  // refetch whatever their age (revalidate --tag source:jobs)
};

enum class Serving { kFresh, kStale, kFallback, kNothing };
const char* serving_name(Serving serving);  // "fresh", "stale snapshot", "fallback", "nothing"

// What a build serves of one remote source.
struct ServedSource {
  Serving serving = Serving::kNothing;
  std::string display;           // display_url of the source
  std::optional<Source> parsed;  // set when the refresh parsed the records already
  std::string records;           // else the snapshot text, parsed when a page first reads it
  std::string unavailable;       // kNothing: why
};

enum class FetchResult { kUpdated, kUnchanged, kNotModified, kFailed };
// "updated", "unchanged" (a 200 with the same records), "not modified" (304), "failed"
const char* fetch_result_name(FetchResult result);

struct FetchOutcome {
  std::string source;
  FetchResult outcome = FetchResult::kFailed;
  int status = 0;
  int attempts = 0;
  int64_t elapsed_ms = 0;
};

struct DegradedSource {
  std::string source;
  std::string error;
  Serving serving = Serving::kNothing;  // kStale, kFallback or kNothing
  int64_t snapshot_age_ms = -1;         // age of the stale snapshot served, -1 when none
};

struct RemoteRefresh {
  std::map<std::string, ServedSource> served;  // every remote source configured
  std::set<std::string> invalidated;           // tags whose pages must render again
  std::vector<SourceSnapshot> store;           // rows for the build's transaction
  std::vector<std::string> forget;             // snapshots of sources no longer configured
  std::vector<FetchOutcome> fetched;
  std::vector<DegradedSource> degraded;
};

// `content_dir` resolves fallback files; `fetcher` may be null when the
// request is offline. Pure apart from the fetcher and the clock, which tests
// replace.
RemoteRefresh refresh_remote_sources(const SiteConfig& config, const std::filesystem::path& content_dir,
                                     const std::map<std::string, SourceSnapshot>& stored,
                                     const RefreshRequest& request, HttpFetcher* fetcher, const Clock& clock,
                                     const EnvLookup& env);

// How a stored snapshot stands now, for people: "fresh", "stale" (refetched
// by the next build), "expired" (not served if the refetch fails), "fallback",
// "withheld" (served nothing last time) or "never fetched".
std::string snapshot_state(const SourceSnapshot* snapshot, const SourceConfig& config, int64_t now_ms);

// When the snapshot goes stale: past `revalidate`, or past `expire`, a build
// refetches it for its age. A missing snapshot, or one fetched with other
// settings, is stale from the start (0) for a source with either time set;
// INT64_MAX when neither is set (never stale: only revalidate --tag refetches).
int64_t stale_at_ms(const SourceSnapshot* snapshot, const SourceConfig& config);

// The remote sources a revalidate tag names: "source:jobs", "jobs:42",
// "jobs:city=berlin", and prefixes ending in '*' ("jobs:*", "source:*").
std::set<std::string> remote_sources_named(const std::string& tag, const SiteConfig& config);
// True when the tag stands only for remote sources' data, so refetching them
// and diffing replaces re-rendering every page that carries it.
bool names_remote_data_only(const std::string& tag, const SiteConfig& config);

}  // namespace isrgen::data
