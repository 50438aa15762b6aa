// `isrgen watch`: rebuilds the site as its files change (cli/watch_builds.h),
// optionally syncing each good build, until SIGINT or SIGTERM.
#include "cli/commands.h"
#include "cli/console.h"
#include "cli/watch_builds.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/signal_stop.h"

namespace isrgen {

int watch_command(const CommonFlags& common, const WatchFlags& flags) {
  Console console(common.quiet, common.json);
  SitePaths paths = make_site_paths(common.site, common.out);
  auto watcher = open_watcher(paths, flags.poll, console);
  if (!watcher.ok()) {
    console.error(watcher.error().to_string());
    return kExitUsage;
  }
  SignalStop signals(watcher.value()->stop_signal());
  SystemClock loop_clock;  // never ISRGEN_NOW: the quiet window must pass
  return watch_with(common, flags, *watcher.value(), loop_clock, *clock_from_environment());
}

int watch_with(const CommonFlags& common, const WatchFlags& flags, watch::Watcher& watcher, const Clock& loop_clock,
               const Clock& build_clock) {
  return run_watch(common, flags, watcher, loop_clock, build_clock, {});
}

}  // namespace isrgen
