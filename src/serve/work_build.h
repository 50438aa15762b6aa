// The build `isrgen serve` runs for a batch of jobs (job_worker.h): webhooks,
// first requests of deferred pages and background refreshes all come here as
// tags and paths. It is one run of the rebuild step (publish/rebuild.h), so
// each batch reads content/site.toml once, and, with sync on, syncs a good
// build with that read's [deploy]. The jobs' outcome is decided here too.
#pragma once

#include <optional>
#include <string>

#include "data/env_expand.h"
#include "data/http_fetcher.h"
#include "engine/builder.h"
#include "publish/rebuild.h"
#include "serve/job_worker.h"
#include "site/site_paths.h"
#include "util/clock.h"

namespace isrgen::serve {

// A revalidate of the work's tags and paths, which refetches only the sources
// its tags name; work with neither (the job queued at start) is a plain
// incremental build that refreshes every stale source. Render threads, the
// fetcher and the environment are the server's to set.
BuildOptions build_options_for(const MergedWork& work);

struct WorkBuildSetup {
  SitePaths paths;
  const Clock* clock = nullptr;          // required
  data::HttpFetcher* fetcher = nullptr;  // required when the site has remote sources
  data::EnvLookup env;                   // ${VAR} in source headers and [deploy.purge]; empty: the process's
  int jobs = 1;                          // render threads
  bool sync = false;                     // sync each good build
  std::string sync_target;               // empty: [deploy] target
};

struct WorkBuild {
  // For the jobs: {"build": report, "sync": report}, or {"error": why}; failed
  // when the build could not run, a page failed or the sync did not complete.
  WorkOutcome outcome;
  std::optional<publish::RebuildOutcome> rebuilt;  // empty when the build could not run or threw
};

// Runs the work's build, and its sync, on the calling thread at a lower CPU
// priority (the render threads inherit it), so a build that keeps every core
// busy does not hold up the threads answering requests. An exception is
// caught and fails the jobs.
WorkBuild run_work_build(const MergedWork& work, const WorkBuildSetup& setup);

}  // namespace isrgen::serve
