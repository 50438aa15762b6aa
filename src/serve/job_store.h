// The durable queue of revalidation jobs of `isrgen serve`: every job a
// webhook asked for, from "queued" through "running" to "done" or "failed",
// with the report of the build that ran it. A job is committed before the
// webhook is answered 202, so nothing accepted is lost to a crash or restart:
// at start-up requeue_interrupted() puts the jobs of a build cut short back in
// the queue.
//
// It lives in its own SQLite file, <state folder>/jobs.db beside state.db, and
// not in state.db: a build holds state.db's write transaction for the whole
// of its write-back, and accepting a webhook must never wait for that.
//
// Delivery ids (X-GitHub-Delivery, Idempotency-Key) are remembered for 24 h
// from their first acceptance: a redelivery within that time is acknowledged
// with the earlier job's id and queues nothing.
//
// Thread-safe: HTTP threads accept() and find() while the worker thread
// claims and finishes; one connection serialised by a mutex, every write one
// short transaction on prepared statements. A claim or finish of many jobs is
// written kJobsPerTransaction jobs to a transaction, the lock released between
// them, so that an accept() waits for one such transaction at most and not for
// a batch of thousands of jobs.
//
// SQLite's automatic WAL checkpoint is off on that connection: it would run
// inside whichever commit crossed its threshold, often an accept(), for
// milliseconds. A checkpoint thread of the store copies the WAL back into the
// file instead, every kCheckpointFrames pages, on a connection of its own and
// without the lock. The WAL starts over once wholly copied, i.e. when writes
// pause; under writes that never pause it grows up to kWalLimitFrames pages
// (128 MB), where one checkpoint takes the lock to copy the rest.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "site/site_paths.h"
#include "util/clock.h"
#include "util/error.h"

struct sqlite3;

namespace SQLite {
class Database;
}

namespace isrgen::serve {

inline constexpr int64_t kDeliveryIdMemoryMs = 24LL * 60 * 60 * 1000;

// Jobs claimed or finished in one transaction (about a millisecond of writes).
inline constexpr size_t kJobsPerTransaction = 256;

// WAL pages (SQLite's default page size is 4 KB) after which the checkpoint
// thread copies the WAL back into the database file.
inline constexpr int kCheckpointFrames = 1000;
// WAL pages past which a checkpoint holds up writes to finish (job_store.h).
inline constexpr int kWalLimitFrames = 32 * 1024;

enum class JobStatus { kQueued, kRunning, kDone, kFailed };

// "queued" | "running" | "done" | "failed": the words of GET /jobs/<id>.
std::string_view job_status_name(JobStatus status);

struct JobRequest {
  std::vector<std::string> tags;
  std::vector<std::string> paths;
  std::optional<std::string> delivery_id;
};

struct Job {
  std::string id;
  JobStatus status = JobStatus::kQueued;
  JobRequest request;
  int64_t accepted_ms = 0, started_ms = 0, finished_ms = 0;  // unix ms; 0 = not yet
  nlohmann::json report;  // null until finished
  std::string error;      // why a failed job failed
};

struct Acceptance {
  std::string job_id;
  bool duplicate = false;  // the delivery id was seen within 24 h: job_id is the earlier job's
};

// Nothing was queued because `max_queued` jobs wait already (HTTP 429).
struct QueueFull {
  size_t max_queued = 0;
};

using AcceptOutcome = std::variant<Acceptance, QueueFull>;

// <state folder>/jobs.db.
std::filesystem::path jobs_db_path(const SitePaths& paths);

class JobStore {
 public:
  // Creates the file when missing, and upgrades one of an older isrgen in
  // place, its queued and finished jobs kept. A file written by a newer
  // isrgen is an error (its jobs are left alone), as is one that is not a
  // jobs database.
  static Result<std::unique_ptr<JobStore>> open(const std::filesystem::path& db_path, const Clock& clock);
  ~JobStore();
  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  // One transaction: a delivery id seen within 24 h gives the earlier job;
  // else QueueFull when `max_queued` jobs are queued; else a new queued job
  // with a 128-bit random id (32 hex digits). A refused request leaves no
  // trace, so its sender may retry it. The error is a database failure.
  Result<AcceptOutcome> accept(const JobRequest& request, size_t max_queued);

  // Every job queued when it is called becomes running, oldest first, and is
  // returned in that order; jobs accepted meanwhile wait for the next claim.
  // It is written kJobsPerTransaction jobs to a transaction, so a crash may
  // leave some of them running and the rest queued: requeue_interrupted()
  // queues them all again at start-up, and they run again, which is harmless
  // as revalidating twice is the same as once. When a transaction after the
  // first fails, the jobs already claimed are returned (they are running), the
  // others stay queued and the next claim runs into the error.
  Result<std::vector<Job>> claim_queued();

  // Running jobs end as kDone or kFailed with the same report (null allowed)
  // and error, stored once for the batch however many jobs it holds. The jobs
  // are finished kJobsPerTransaction to a transaction, so find() may see some
  // of them finished before the rest; a crash between two leaves the rest
  // running, and they run again after the restart (harmless, as above). An id
  // that is not running is an error and nothing changes: jobs this call
  // finished already are running again and its report is gone (unless the
  // database fails while undoing them too).
  Status finish(const std::vector<std::string>& ids, JobStatus status, const nlohmann::json& report,
                const std::string& error);

  Result<std::optional<Job>> find(const std::string& id) const;
  Result<size_t> queued_count() const;

  // Running jobs go back to the queue: called at start-up, when no build of
  // this store runs, so the jobs of a build cut short by a crash run again.
  Status requeue_interrupted();

  // Forgets finished jobs finished more than keep_ms ago with the reports
  // only they named, and delivery ids first seen more than max(keep_ms, 24 h)
  // ago. With keep_ms under 24 h a
  // redelivery may name a job that find() no longer knows.
  Status prune(int64_t keep_ms);

 private:
  struct Statements;
  JobStore(std::unique_ptr<SQLite::Database> db, std::unique_ptr<SQLite::Database> checkpoint_db,
           const Clock& clock);
  Error database_error(const std::exception& error) const;
  void undo_finish(int64_t batch);  // under mutex_
  static int wal_written(void* store, sqlite3* db, const char* name, int frames);
  void checkpoint_loop();

  const Clock& clock_;
  mutable std::mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<Statements> statements_;

  // The checkpoint thread and its own connection.
  std::unique_ptr<SQLite::Database> checkpoint_db_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wanted_;
  bool checkpoint_due_ = false;
  int checkpoint_at_frames_ = kCheckpointFrames;
  bool stopping_ = false;
  std::thread checkpoint_thread_;
};

}  // namespace isrgen::serve
