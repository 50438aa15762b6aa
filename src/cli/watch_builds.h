// The loop shared by `isrgen watch` and `isrgen dev`: a watcher on the site's
// folders and one incremental build (publish/rebuild.h) per burst of changes
// (watch/watch_loop.h), each told on stderr (or, with --json, as one report
// per line on stdout) and, when asked, synced.
#pragma once

#include <functional>
#include <memory>

#include "cli/commands.h"
#include "cli/console.h"
#include "publish/rebuild.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/error.h"
#include "watch/watch_loop.h"
#include "watch/watcher.h"

namespace isrgen {

// inotify on the site's content/, templates/ and static/, or, with `poll` or
// when inotify cannot be used (said as a warning), polling twice a second.
Result<std::unique_ptr<watch::Watcher>> open_watcher(const SitePaths& paths, bool poll, Console& console);

// Told of each build once it was reported: what triggered it, and its outcome
// (the error: the run could not build, such as a broken content/site.toml).
using BuildObserver =
    std::function<void(const watch::BuildTrigger& trigger, const Result<publish::RebuildOutcome>& outcome)>;

// Builds at start and on every change until the watcher stops; `after_build`
// (may be empty) sees every build. Exit status as watch_command's.
int run_watch(const CommonFlags& common, const WatchFlags& flags, watch::Watcher& watcher, const Clock& loop_clock,
              const Clock& build_clock, const BuildObserver& after_build);

}  // namespace isrgen
