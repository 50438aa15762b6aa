// One run of "build, then sync when asked": the step `isrgen build` and
// `isrgen revalidate` take (with --sync or not), and each build of
// `isrgen watch` and each batch of jobs of `isrgen serve`. content/site.toml
// is read once, at the start of the run: the build's settings and, when the
// run syncs, the [deploy] table come from that one read, so an edit to either
// applies to the next run without a restart, and no run builds with one
// version of the file and syncs with another.
#pragma once

#include <functional>
#include <optional>

#include "engine/build_report.h"
#include "engine/builder.h"
#include "publish/site_sync.h"
#include "publish/sync_run.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/error.h"

namespace isrgen::publish {

struct RebuildRequest {
  BuildOptions build;            // this run's; its `config` is the run's own read
  bool sync = false;             // sync the output after a good build
  SiteSyncOptions sync_options;  // --target and the like; its `config` is the run's own read
  // Asked after a good build, just before its sync: true leaves the sync out
  // (a watch stopped while the build ran; the next sync sends what it would
  // have). Empty: the sync always follows a good build.
  std::function<bool()> skip_sync;
};

struct RebuildOutcome {
  SiteConfig config;  // content/site.toml as the run read it: what the build ran with
  BuildReport build;
  // The sync's report, or why it could not start (a broken [deploy], no
  // target, missing credentials); empty when no sync was asked, the build was
  // not good, or skip_sync said so.
  std::optional<Result<SyncReport>> sync;
};

// Whether a build may be synced: its exit status is 0 (no page failed, nor,
// with --strict, a remote source), so a broken page never reaches the bucket.
bool build_is_good(const BuildReport& report);

// Reads content/site.toml, builds with its settings and, when asked and the
// build is good, syncs with its [deploy] table. The Error: the build could not
// run (the settings unreadable or broken, a folder or the state index
// unusable), and nothing was synced.
Result<RebuildOutcome> rebuild(const SitePaths& paths, const RebuildRequest& request, const Clock& clock);

}  // namespace isrgen::publish
