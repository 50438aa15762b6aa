// Background refreshes of remote sources in `isrgen serve`: one job per
// source however many stale requests ask for it, and none again for a while
// after its refetch failed, so the origin keeps serving the stale pages and
// does not hammer a failing API. A timer also refreshes every source some
// page shows once it is past `revalidate`, so a site published to a bucket
// (--sync), which no request reaches, is regenerated too.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/build_report.h"
#include "serve/job_store.h"
#include "serve/job_worker.h"
#include "util/clock.h"

namespace isrgen::serve {

// A source whose refresh failed is tried again after this long at the earliest.
inline constexpr int64_t kRefreshRetryMs = 30'000;

// Stores a job and wakes the worker; false when it was not queued (the queue
// is full or the store fails), so the caller may try again later.
using QueueJob = std::function<bool(JobRequest)>;

class RefreshSchedule {
 public:
  RefreshSchedule(const Clock& clock, QueueJob queue) : clock_(clock), queue_(std::move(queue)) {}
  ~RefreshSchedule();  // stop_timer()
  RefreshSchedule(const RefreshSchedule&) = delete;
  RefreshSchedule& operator=(const RefreshSchedule&) = delete;

  // Queues one refresh (revalidate tags "source:<name>") for those of
  // `sources` that have none queued or running and did not fail just now.
  void schedule(const std::vector<std::string>& sources);

  // After the build of `work` (its report; null when it could not run): the
  // sources it refreshed may be refreshed again once stale, those whose
  // refetch failed after kRefreshRetryMs.
  void settle(const MergedWork& work, const BuildReport* report);

  // Until stop_timer(), schedules what `stale_now` names every second, on a
  // thread of its own. It reads the clock each time rather than sleeping
  // until the next stale time, so a wall clock that steps (or a test's
  // manual clock) is followed within a second.
  void start_timer(std::function<std::vector<std::string>()> stale_now);
  void stop_timer();

 private:
  const Clock& clock_;
  QueueJob queue_;

  std::mutex mutex_;
  std::map<std::string, int64_t> refreshing_;  // source -> pending (INT64_MAX) or retry-not-before

  std::thread timer_;
  std::mutex timer_mutex_;
  std::condition_variable timer_wake_;
  bool timer_stopping_ = false;
};

}  // namespace isrgen::serve
