// The one thread of `isrgen serve` that runs revalidation jobs. It claims
// every queued job at once and runs one build for the union of their tags and
// paths, so webhooks that arrive while a build runs share the next build: a
// burst costs one build per build's duration, not one per webhook. All jobs
// of a build finish with its report; a build that fails or throws fails them
// all with its error, and the worker goes on with the next jobs.
//
// A store failure (disk full, I/O error) is reported to the observer and
// retried a second later, or at once when notified; a batch whose finish
// could not be recorded is recorded before anything else runs. Once an hour
// it forgets jobs and delivery ids older than a day (JobStore::prune).
//
// The times come from the injected Clock; the thread only waits on a
// condition variable, so tests drive it with notify() and a ManualClock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/job_store.h"
#include "util/clock.h"
#include "util/error.h"

namespace isrgen::serve {

inline constexpr int64_t kPruneIntervalMs = 60LL * 60 * 1000;
inline constexpr int64_t kKeepFinishedJobsMs = kDeliveryIdMemoryMs;  // a redelivered id always finds its job
inline constexpr int64_t kStoreRetryMs = 1000;

// What one build does for a batch of jobs: sorted, without repeats.
struct MergedWork {
  std::vector<std::string> tags;
  std::vector<std::string> paths;
};

MergedWork merge_work(const std::vector<Job>& jobs);

struct WorkOutcome {
  bool ok = false;
  nlohmann::json report;  // kept with every job of the batch, also when it failed
  std::string error;      // why it failed
};

// Runs `revalidate` (and `sync` when configured) for the work; called on the
// worker thread only. An exception fails the batch like ok = false.
using WorkRunner = std::function<WorkOutcome(const MergedWork&)>;

// Called on the worker thread; each may be empty.
struct WorkerObservers {
  // After the end of a batch's jobs was recorded, so GET /jobs/<id> shows it
  // now: the jobs (for the latency histogram of /metrics: accepted_ms to now),
  // how they ended and what the build said.
  std::function<void(const std::vector<Job>& jobs, JobStatus status, const WorkOutcome& outcome)> batch_finished;
  // The store failed to claim, finish or prune; the worker retries.
  std::function<void(const Error& error)> store_failed;
};

// Counters since start() for /metrics and /healthz. The queue depth is the
// store's: JobStore::queued_count().
struct WorkerMetrics {
  uint64_t builds = 0;         // runner calls
  uint64_t jobs_done = 0;
  uint64_t jobs_failed = 0;
  uint64_t store_errors = 0;
  size_t jobs_running = 0;     // in the build running now
  bool store_failing = false;  // the last store operation failed; cleared by the next that succeeds
  bool stopping = false;       // stop() was called: the running build is the last
  int64_t last_prune_ms = 0;   // when old jobs were last forgotten; 0 = not yet
};

class JobWorker {
 public:
  JobWorker(JobStore& store, WorkRunner runner, const Clock& clock, WorkerObservers observers = {});
  ~JobWorker();  // stop()
  JobWorker(const JobWorker&) = delete;
  JobWorker& operator=(const JobWorker&) = delete;

  // Puts jobs a crash left running back in the queue, then starts the thread,
  // which runs the queued jobs at once. The error: the store could not
  // requeue, and no thread runs.
  Status start();

  // A job was accepted: claim it now, or after the running build.
  void notify();

  // Lets the running build finish and records it, then joins the thread;
  // queued jobs stay queued for the next start(). A batch the store could not
  // record stays running in it, and runs again after the next start().
  void stop();

  WorkerMetrics metrics() const;

  // Blocks until `reached` holds for the metrics, or `timeout` passed (false).
  // Every change of the metrics wakes it, so a caller that must act once the
  // worker got somewhere (a stop requested, a prune done) waits, not polls.
  bool wait_for_metrics(const std::function<bool(const WorkerMetrics&)>& reached,
                        std::chrono::milliseconds timeout) const;

 private:
  struct FinishedBatch {
    std::vector<Job> jobs;
    JobStatus status = JobStatus::kDone;
    WorkOutcome outcome;
  };

  void loop();
  bool stopping() const;
  int64_t wait_ms(int64_t now) const;  // until the next prune or retry, under mutex_
  void work();                         // prune when due, then run batches until the queue is empty
  bool record(FinishedBatch& batch);   // false: the store failed, the batch waits for a retry
  FinishedBatch run(std::vector<Job> jobs);
  void store_failed(const Error& error);
  void store_succeeded();

  JobStore& store_;
  WorkRunner runner_;
  const Clock& clock_;
  WorkerObservers observers_;

  mutable std::mutex mutex_;
  std::condition_variable wake_up_;
  mutable std::condition_variable metrics_changed_;
  bool woken_ = false;
  bool stopping_ = false;
  int64_t next_prune_ms_ = 0;
  std::optional<int64_t> retry_at_ms_;
  WorkerMetrics metrics_;
  std::optional<FinishedBatch> unrecorded_;  // worker thread only
  std::thread thread_;
};

}  // namespace isrgen::serve
