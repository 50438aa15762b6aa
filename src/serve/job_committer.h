// Group commit of accepted webhooks. HTTP threads hand their checked jobs to
// submit(); one writer thread takes every job waiting, writes them all to the
// store in one transaction and one fsync (jobs.db commits with
// synchronous=FULL), then calls each job's callback, which answers its
// webhook: a 202 goes out only once its job is on disk.
//
// There is no fixed window: while one commit runs the next batch gathers, so
// a batch grows with the load and a lone webhook waits for no timer at all.
// Between batches, with nobody waiting, the writer copies the WAL into the
// database (JobStore::checkpoint_if_grown), so no checkpoint ever runs inside
// a commit a webhook waits for.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "serve/job_store.h"

namespace isrgen::serve {

class JobCommitter {
 public:
  using Done = std::function<void(const Result<AcceptOutcome>& outcome)>;

  // At most `max_batch` jobs go into one transaction; `max_queued` is the
  // queue's cap, as for JobStore::accept.
  JobCommitter(JobStore& store, size_t max_queued, size_t max_batch = 1024);
  // Commits what was submitted, answers it, then stops the writer.
  ~JobCommitter();
  JobCommitter(const JobCommitter&) = delete;
  JobCommitter& operator=(const JobCommitter&) = delete;

  // Queues `request` for the next commit; `done` is called once, on the
  // writer thread, with the store's outcome for it.
  void submit(JobRequest request, Done done);

 private:
  struct Pending {
    JobRequest request;
    Done done;
  };
  void run();

  JobStore& store_;
  const size_t max_queued_;
  const size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Pending> pending_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace isrgen::serve
