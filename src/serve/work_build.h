// The build `isrgen serve` runs for a batch of jobs (job_worker.h): webhooks,
// first requests of deferred pages and background refreshes all come here as
// tags and paths, so the build options are decided in this one place.
#pragma once

#include "engine/builder.h"
#include "serve/job_worker.h"

namespace isrgen::serve {

// A revalidate of the work's tags and paths, which refetches only the sources
// its tags name; work with neither (the job queued at start) is a plain
// incremental build that refreshes every stale source. Render threads, the
// fetcher and the environment are the server's to set.
BuildOptions build_options_for(const MergedWork& work);

}  // namespace isrgen::serve
