#include "watch/watch_loop.h"

#include <algorithm>
#include <climits>
#include <utility>

namespace isrgen::watch {

WatchLoop::WatchLoop(Watcher& watcher, const Clock& clock, WatchTimes times, WatchHooks hooks)
    : watcher_(watcher), clock_(clock), times_(times), hooks_(std::move(hooks)), debouncer_(clock, times.debounce) {}

bool WatchLoop::refresh_due() const { return refresh_at_ms_ && *refresh_at_ms_ <= clock_.now_unix_ms(); }

int64_t WatchLoop::wait_ms() const {
  int64_t debounce = debouncer_.wait_ms();
  if (!refresh_at_ms_) return debounce;
  int64_t refresh = std::max<int64_t>(*refresh_at_ms_ - clock_.now_unix_ms(), 0);
  return debounce < 0 ? refresh : std::min(debounce, refresh);
}

void WatchLoop::build(BuildTrigger trigger) {
  // Pending changes ride along with a refresh: the build sees them anyway.
  trigger.changes.merge(debouncer_.take());
  hooks_.build(trigger);
  debouncer_.build_finished();
  if (watcher_.stopped()) return;
  if (!hooks_.next_refresh_at_ms) return;
  refresh_at_ms_ = hooks_.next_refresh_at_ms();
  int64_t now = clock_.now_unix_ms();
  if (refresh_at_ms_ && *refresh_at_ms_ <= now) refresh_at_ms_ = now + times_.refresh_retry_ms;
}

Status WatchLoop::run() {
  BuildTrigger initial;
  initial.initial = true;
  build(std::move(initial));
  while (!watcher_.stopped()) {
    int64_t wait = wait_ms();
    if (wait == 0) {
      BuildTrigger due;
      due.refresh = refresh_due();
      build(std::move(due));
      continue;
    }
    auto changes = watcher_.wait(static_cast<int>(std::min<int64_t>(wait, INT_MAX)));
    if (!changes.ok()) return changes.error();
    debouncer_.add(changes.value());
  }
  return Status::Ok();
}

}  // namespace isrgen::watch
