// What GET /metrics of `isrgen serve` shows (Prometheus text, metrics.h):
// builds and their failures, pages rendered, failed fetches of remote
// sources, the queue, the jobs' latency, origin requests by cache outcome and
// answers to /revalidate by status. Families render in the order registered
// here, which is the order the README lists them in.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/build_report.h"
#include "serve/job_store.h"
#include "serve/job_worker.h"
#include "serve/metrics.h"

namespace isrgen::serve {

class ServeMetrics {
 public:
  // `queued_jobs` is read on every render: the queue's depth, or -1 when the
  // job store cannot tell.
  explicit ServeMetrics(std::function<double()> queued_jobs);
  ServeMetrics(const ServeMetrics&) = delete;
  ServeMetrics& operator=(const ServeMetrics&) = delete;

  // A build of the worker, with its report when it ran (null: it could not
  // run or threw); a failed outcome (a page, the build or its sync) counts
  // as a failure.
  void count_build(const WorkOutcome& outcome, const BuildReport* report);
  // A batch of jobs ended at `now_ms`: each one's time since its acceptance.
  void observe_finished(const std::vector<Job>& jobs, int64_t now_ms);
  // Every answer to /revalidate, whoever gave it: the webhook endpoint, the
  // routing (405) or the HTTP server before the app saw the request (413). A
  // status not registered at start gets its series on first use.
  void count_webhook_answer(int status, uint64_t amount = 1);
  // An origin request answered from its file as built, stale while a refresh
  // runs, or after the build its first request waited for.
  void count_hit() { cache_hit_->increment(); }
  void count_stale() { cache_stale_->increment(); }
  void count_miss() { cache_miss_->increment(); }

  std::string render() const { return registry_.render(); }

 private:
  MetricsRegistry registry_;
  // Set once by the constructor, in the order the families render.
  Counter* builds_ = nullptr;
  Counter* build_failures_ = nullptr;
  Counter* pages_rendered_ = nullptr;
  Counter* fetch_failures_ = nullptr;
  Histogram* job_latency_ = nullptr;
  Counter* cache_hit_ = nullptr;
  Counter* cache_stale_ = nullptr;
  Counter* cache_miss_ = nullptr;
};

}  // namespace isrgen::serve
