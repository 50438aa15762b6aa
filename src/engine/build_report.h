// What a build did, as printed by `isrgen build --json` (ARCHITECTURE §4) and
// summarised for people.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/source_refresh.h"
#include "engine/render_reason.h"
#include "util/error.h"

namespace isrgen {

enum class BuildCommand { kBuild, kRevalidate };
const char* command_name(BuildCommand command);  // "build", "revalidate"

struct RenderedEntry {
  std::string page;
  std::string lang;
  std::string output;
  bool changed = false;  // the HTML bytes differ from what was there
  std::vector<RenderReason> reasons;
};

struct FailedEntry {
  std::string page;
  std::string lang;
  std::string error;  // "file:line: message"
  // The same error field by field: the file may be a page's own or a shared
  // input (a template, a data file), by which failures are grouped.
  Error cause;
};

// A problem that did not fail its page, such as data refused in a URL attribute.
struct WarningEntry {
  std::string page;
  std::string lang;
  std::string warning;  // "file:line:col: message"
};

// A remote source the build could not refresh (ISR stale-if-error), and what
// it served instead.
struct DegradedEntry {
  std::string source;
  std::string error;    // why the refetch failed
  data::Serving serving = data::Serving::kNothing;  // kStale, kFallback or kNothing
  int64_t snapshot_age_s = -1;  // age of the stale snapshot served; -1: none
  // Serving nothing: the pages whose components show their empty state.
  std::vector<std::pair<std::string, std::string>> pages;  // (page, lang)
};

// A remote source fetched by this build.
struct FetchEntry {
  std::string source;
  data::FetchResult outcome = data::FetchResult::kFailed;
  int status = 0;       // HTTP status of the last attempt, 0: no response
  int attempts = 0;
  int64_t ms = 0;
};

struct BuildReport {
  BuildCommand command = BuildCommand::kBuild;
  std::vector<RenderedEntry> rendered;  // in render order
  std::vector<std::string> deleted;     // outputs removed, relative to out/
  std::vector<FailedEntry> failed;
  // Unknown keys of site.toml (page and lang empty) first, then those of the
  // pages rendered, in render order; never fail the build.
  std::vector<WarningEntry> warnings;
  std::vector<std::string> invalidated;  // dependency tags this build invalidated, sorted
  std::vector<FetchEntry> fetched;
  std::vector<DegradedEntry> degraded;
  bool strict = false;  // --strict: a degraded source fails the build (exit 1)
  int pages = 0;  // page variants in the site
  int written = 0;
  int unchanged = 0;  // pages neither rendered, failed nor deferred
  // Pages left for their first request by [build] prerender = "high".
  int deferred = 0;
  // Page variants whose files this build read and parsed: the pages it
  // rendered or tried to, and never-rendered pages whose priority it had to learn.
  int prepared = 0;
  // Image variants encoded, found in the encode-once cache, and images whose
  // size had to be read (assets/asset_pipeline.h).
  int images_encoded = 0;
  int images_reused = 0;
  int images_probed = 0;
  int images_fetched = 0;  // remote images requested ([images] remote_hosts)
  int64_t duration_ms = 0;
  // Wall time of each phase ("load", "prepare", "render", "static", "commit"), for
  // profiling and for `--json` consumers who track build speed.
  std::vector<std::pair<std::string, int64_t>> phase_ms;

  // Set when a page or file failed because of the machine (a write refused,
  // a disk full), not its input: a pipeline may retry such a build elsewhere.
  bool environment_failed = false;

  // 0 all good; 3 something failed because of the machine; 1 pages failed (or
  // a source could not be refreshed, with strict).
  int exit_code() const {
    if (environment_failed) return 3;
    return failed.empty() && (!strict || degraded.empty()) ? 0 : 1;
  }
  nlohmann::ordered_json to_json() const;
};

}  // namespace isrgen
