#include "serve/job_committer.h"

#include <algorithm>
#include <chrono>

namespace isrgen::serve {

JobCommitter::JobCommitter(JobStore& store, size_t max_queued, size_t max_batch)
    : store_(store), max_queued_(max_queued), max_batch_(std::max<size_t>(1, max_batch)), writer_([this] { run(); }) {}

JobCommitter::~JobCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  arrived_.notify_one();
  writer_.join();
}

void JobCommitter::submit(JobRequest request, Done done) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back({std::move(request), std::move(done)});
  }
  arrived_.notify_one();
}

void JobCommitter::run() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      // Idle for a second: a checkpoint may be due from the worker's commits.
      if (!arrived_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || !pending_.empty(); })) {
        lock.unlock();
        (void)store_.checkpoint_if_grown();  // a failure shows in the next commit's error
        continue;
      }
      if (pending_.empty()) return;  // stopping, and everything answered
      size_t take = std::min(pending_.size(), max_batch_);
      batch.assign(std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.begin() + take));
      pending_.erase(pending_.begin(), pending_.begin() + take);
    }
    std::vector<JobRequest> requests;
    requests.reserve(batch.size());
    for (Pending& job : batch) requests.push_back(std::move(job.request));
    auto accepted = store_.accept_all(requests, max_queued_);
    for (size_t i = 0; i < batch.size(); ++i)
      batch[i].done(accepted.ok() ? Result<AcceptOutcome>(std::move(accepted.value()[i]))
                                  : Result<AcceptOutcome>(accepted.error()));
    batch.clear();
    // Between batches, never inside one: only what arrived meanwhile waits.
    bool waiting;
    {
      std::lock_guard lock(mutex_);
      waiting = !pending_.empty();
    }
    if (!waiting) (void)store_.checkpoint_if_grown();
  }
}

}  // namespace isrgen::serve
