#include "serve/job_worker.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace isrgen::serve {

MergedWork merge_work(const std::vector<Job>& jobs) {
  std::set<std::string> tags;
  std::set<std::string> paths;
  for (const Job& job : jobs) {
    tags.insert(job.request.tags.begin(), job.request.tags.end());
    paths.insert(job.request.paths.begin(), job.request.paths.end());
  }
  return {{tags.begin(), tags.end()}, {paths.begin(), paths.end()}};
}

JobWorker::JobWorker(JobStore& store, WorkRunner runner, const Clock& clock, WorkerObservers observers)
    : store_(store), runner_(std::move(runner)), clock_(clock), observers_(std::move(observers)) {}

JobWorker::~JobWorker() { stop(); }

Status JobWorker::start() {
  if (thread_.joinable()) return Status::Ok();
  Status requeued = store_.requeue_interrupted();
  if (!requeued) return requeued;
  // A batch whose finish was never recorded has just been requeued with the
  // rest, and runs again.
  unrecorded_.reset();
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    woken_ = true;
    next_prune_ms_ = clock_.now_unix_ms();
    retry_at_ms_.reset();
    metrics_ = WorkerMetrics{};
  }
  thread_ = std::thread([this] { loop(); });
  return Status::Ok();
}

void JobWorker::notify() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_up_.notify_one();
}

void JobWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    metrics_.stopping = true;
    metrics_changed_.notify_all();
  }
  wake_up_.notify_one();
  if (thread_.joinable()) thread_.join();
}

WorkerMetrics JobWorker::metrics() const {
  std::lock_guard lock(mutex_);
  return metrics_;
}

bool JobWorker::wait_for_metrics(const std::function<bool(const WorkerMetrics&)>& reached,
                                 std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return metrics_changed_.wait_for(lock, timeout, [&] { return reached(metrics_); });
}

bool JobWorker::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

int64_t JobWorker::wait_ms(int64_t now) const {
  int64_t due_ms = next_prune_ms_;
  if (retry_at_ms_) due_ms = std::min(due_ms, *retry_at_ms_);
  return due_ms - now;
}

void JobWorker::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    int64_t now = clock_.now_unix_ms();
    // The wall clock may step back; the next prune stays at most an interval away.
    next_prune_ms_ = std::min(next_prune_ms_, now + kPruneIntervalMs);
    int64_t wait = wait_ms(now);
    if (!woken_ && wait > 0) {
      wake_up_.wait_for(lock, std::chrono::milliseconds(wait));
      continue;
    }
    woken_ = false;
    lock.unlock();
    work();
    lock.lock();
  }
}

void JobWorker::work() {
  int64_t now = clock_.now_unix_ms();
  bool prune_due = false;
  {
    std::lock_guard lock(mutex_);
    prune_due = now >= next_prune_ms_;
    if (prune_due) next_prune_ms_ = now + kPruneIntervalMs;
  }
  if (prune_due) {
    // A failed prune waits for the next hour; it must not hold up the jobs.
    Status pruned = store_.prune(kKeepFinishedJobsMs);
    if (pruned) {
      std::lock_guard lock(mutex_);
      metrics_.last_prune_ms = now;
      metrics_changed_.notify_all();
    } else {
      store_failed(pruned.error());
    }
  }
  if (unrecorded_) {
    if (!record(*unrecorded_)) return;
    unrecorded_.reset();
  }
  while (!stopping()) {
    auto claimed = store_.claim_queued();
    if (!claimed) {
      store_failed(claimed.error());
      return;
    }
    store_succeeded();
    if (claimed.value().empty()) return;
    FinishedBatch batch = run(std::move(claimed).value());
    if (!record(batch)) {
      unrecorded_ = std::move(batch);
      return;
    }
  }
}

JobWorker::FinishedBatch JobWorker::run(std::vector<Job> jobs) {
  {
    std::lock_guard lock(mutex_);
    ++metrics_.builds;
    metrics_.jobs_running = jobs.size();
    metrics_changed_.notify_all();
  }
  FinishedBatch batch;
  MergedWork work = merge_work(jobs);
  batch.jobs = std::move(jobs);
  try {
    batch.outcome = runner_(work);
  } catch (const std::exception& error) {
    batch.outcome = WorkOutcome{false, nullptr, std::string("the build stopped with an exception: ") + error.what()};
  } catch (...) {
    batch.outcome = WorkOutcome{false, nullptr, "the build stopped with an unknown exception"};
  }
  if (!batch.outcome.ok && batch.outcome.error.empty()) batch.outcome.error = "the build failed";
  batch.status = batch.outcome.ok ? JobStatus::kDone : JobStatus::kFailed;
  return batch;
}

bool JobWorker::record(FinishedBatch& batch) {
  std::vector<std::string> ids;
  ids.reserve(batch.jobs.size());
  for (const Job& job : batch.jobs) ids.push_back(job.id);
  Status finished = store_.finish(ids, batch.status, batch.outcome.report, batch.outcome.error);
  if (!finished) {
    store_failed(finished.error());
    return false;
  }
  store_succeeded();
  {
    std::lock_guard lock(mutex_);
    metrics_.jobs_running = 0;
    (batch.status == JobStatus::kDone ? metrics_.jobs_done : metrics_.jobs_failed) += batch.jobs.size();
    metrics_changed_.notify_all();
  }
  if (observers_.batch_finished) observers_.batch_finished(batch.jobs, batch.status, batch.outcome);
  return true;
}

void JobWorker::store_failed(const Error& error) {
  {
    std::lock_guard lock(mutex_);
    ++metrics_.store_errors;
    metrics_.store_failing = true;
    metrics_changed_.notify_all();
    retry_at_ms_ = clock_.now_unix_ms() + kStoreRetryMs;
  }
  if (observers_.store_failed) observers_.store_failed(error);
}

void JobWorker::store_succeeded() {
  std::lock_guard lock(mutex_);
  metrics_.store_failing = false;
  metrics_changed_.notify_all();
  retry_at_ms_.reset();
}

}  // namespace isrgen::serve
