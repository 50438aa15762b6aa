// Turns a stream of file events into builds. The first event starts a quiet
// window; each further event extends it, so an editor's save (temp file,
// rename, swap file) or a `git checkout` becomes one build. The window never
// grows past a maximum delay counted from the first event, so a constant
// stream of changes (a generator writing data files) still builds now and then.
// Events that arrive while a build runs wait for the next build.
// Pure logic over an injected Clock: no threads, no sleeping. The clock is the
// wall clock, which may step (NTP, a suspended laptop): a step back never makes
// a wait longer than max_delay_ms, and ends the current window at once.
#pragma once

#include <cstdint>

#include "util/clock.h"
#include "watch/change_set.h"

namespace isrgen::watch {

struct DebounceTimes {
  int64_t quiet_ms = 150;      // no event for this long: build
  int64_t max_delay_ms = 2000; // build at the latest this long after the first event
};

class Debouncer {
 public:
  explicit Debouncer(const Clock& clock, DebounceTimes times = {});

  void add(const ChangeSet& changes);

  // How long a caller may wait for more events before the pending changes
  // should be built: 0 when due now (the window is over and no build runs),
  // -1 when nothing is pending or a build runs (wait for events); never more
  // than max_delay_ms.
  int64_t wait_ms() const;

  // The coalesced changes, emptied; marks a build as running until
  // build_finished().
  ChangeSet take();
  void build_finished();

 private:
  int64_t due_at_ms() const;

  const Clock& clock_;
  DebounceTimes times_;
  ChangeSet pending_;
  int64_t first_event_ms_ = 0;
  int64_t last_event_ms_ = 0;
  bool building_ = false;
};

}  // namespace isrgen::watch
