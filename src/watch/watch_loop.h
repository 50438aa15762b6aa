// The loop of `isrgen watch`: an incremental build at start (catching up with
// what changed while nobody watched), then one build per burst of changes
// (debouncer.h), and one whenever a remote source goes stale, until the
// watcher is stopped. The build finds what changed on its own (stat
// signatures and hashes), so the changed paths only decide whether and when
// to build, and what to tell the user. A failed build is reported and
// watching goes on. A stop that comes while a build runs ends the loop after
// that build (whose sync, with --sync, the build hook leaves out:
// publish/rebuild.h).
//
// Single-threaded: events that arrive during a build wait in the watcher for
// the next one. Times come from the injected Clock; the only blocking call is
// Watcher::wait, so tests drive the loop with a scripted Watcher and a
// ManualClock.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "util/clock.h"
#include "util/error.h"
#include "watch/change_set.h"
#include "watch/debouncer.h"
#include "watch/watcher.h"

namespace isrgen::watch {

// Why a build runs.
struct BuildTrigger {
  bool initial = false;  // the first build, at start
  bool refresh = false;  // a remote source went stale
  ChangeSet changes;     // what the watcher saw since the last build
};

struct WatchHooks {
  // Runs one incremental build (and its sync, when asked), reporting its own
  // failures. Required.
  std::function<void(const BuildTrigger&)> build;
  // When the next remote source goes stale, in the Clock's unix ms; nullopt
  // when none ever does. Asked after every build; may be empty.
  std::function<std::optional<int64_t>()> next_refresh_at_ms;
};

struct WatchTimes {
  DebounceTimes debounce;
  // A source still stale right after a build could not be refetched (its
  // origin is down): the next attempt waits this long rather than building
  // in a tight loop.
  int64_t refresh_retry_ms = 60'000;
};

class WatchLoop {
 public:
  WatchLoop(Watcher& watcher, const Clock& clock, WatchTimes times, WatchHooks hooks);

  // Returns when the watcher was stopped (Ok) or failed (its error).
  Status run();

 private:
  // Milliseconds Watcher::wait may block: until the debounced changes are due
  // or the next refresh, whichever is first; -1 without limit.
  int64_t wait_ms() const;
  bool refresh_due() const;
  void build(BuildTrigger trigger);

  Watcher& watcher_;
  const Clock& clock_;
  WatchTimes times_;
  WatchHooks hooks_;
  Debouncer debouncer_;
  std::optional<int64_t> refresh_at_ms_;
};

}  // namespace isrgen::watch
