// `isrgen build`: renders every page of a site in every language, publishes the
// HTML and metadata, copies static files, removes the outputs of pages that are
// gone, and records tags and input hashes in the state index in one transaction.
// A page that fails keeps its last good output; the others still build.
#pragma once

#include <functional>

#include "build/build_report.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/error.h"

namespace isrgen {

struct BuildOptions {
  bool force = false;  // ignore what the state index remembers about earlier builds
  int jobs = 1;
  // Called from worker threads as pages finish: (done, total).
  std::function<void(size_t, size_t)> on_progress;
};

// A configuration error (site.toml unreadable, state database unusable) is the
// Result's error; page failures are in the report.
Result<BuildReport> run_build(const SitePaths& paths, const BuildOptions& options, const Clock& clock);

}  // namespace isrgen
