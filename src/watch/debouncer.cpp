#include "watch/debouncer.h"

#include <algorithm>
#include <utility>

namespace isrgen::watch {

Debouncer::Debouncer(const Clock& clock, DebounceTimes times) : clock_(clock), times_(times) {}

void Debouncer::add(const ChangeSet& changes) {
  if (changes.empty()) return;
  int64_t now = clock_.now_unix_ms();
  // A clock stepped back since the first event: the maximum delay counts
  // from now, not from a first event that seems to lie in the future.
  if (pending_.empty() || now < first_event_ms_) first_event_ms_ = now;
  last_event_ms_ = now;
  pending_.merge(changes);
}

int64_t Debouncer::due_at_ms() const {
  return std::min(last_event_ms_ + times_.quiet_ms, first_event_ms_ + times_.max_delay_ms);
}

int64_t Debouncer::wait_ms() const {
  if (pending_.empty() || building_) return -1;
  int64_t now = clock_.now_unix_ms();
  // The clock went back since the last event: how much time passed is unknown,
  // and waiting for the clock to catch up could take as long as the step.
  if (now < last_event_ms_) return 0;
  return std::clamp<int64_t>(due_at_ms() - now, 0, times_.max_delay_ms);
}

ChangeSet Debouncer::take() {
  building_ = true;
  return std::exchange(pending_, ChangeSet{});
}

void Debouncer::build_finished() { building_ = false; }

}  // namespace isrgen::watch
