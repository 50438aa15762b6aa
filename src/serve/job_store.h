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
// Thread-safe: the committer accepts and HTTP threads find() while the worker
// thread claims and finishes; one connection serialised by a mutex, every
// write one short transaction on prepared statements. Commits fsync
// (synchronous=FULL): a job accepted survives a power loss.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "site/site_paths.h"
#include "util/clock.h"
#include "util/error.h"

namespace SQLite {
class Database;
}
struct sqlite3;

namespace isrgen::serve {

inline constexpr int64_t kDeliveryIdMemoryMs = 24LL * 60 * 60 * 1000;

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

  // accept() for each request, all in one transaction and one fsync, in
  // order: the outcomes line up with the requests. The error (a database
  // failure) refuses them all, and none is stored.
  Result<std::vector<AcceptOutcome>> accept_all(const std::vector<JobRequest>& requests, size_t max_queued);

  // Copies the WAL into the database when it holds `min_pages` or more since
  // the last checkpoint: SQLite's automatic checkpoints are off, so that none
  // runs inside a commit someone waits for.
  Status checkpoint_if_grown(int min_pages = 1000);

  // Every queued job becomes running, oldest first, in transactions of a few
  // hundred (a crash half-way leaves some running: requeue_interrupted()).
  Result<std::vector<Job>> claim_queued();

  // Running jobs end as kDone or kFailed with the same report (null allowed)
  // and error, stored once for the batch however many jobs it holds, in
  // transactions of a few hundred jobs, so that finishing a build of
  // thousands of jobs keeps accept() waiting for no more than one of them.
  // An id that is not running is an error; the jobs before it are finished.
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
  JobStore(std::unique_ptr<SQLite::Database> db, const Clock& clock);
  Error database_error(const std::exception& error) const;
  AcceptOutcome accept_one(const JobRequest& request, const std::string& id, const std::string& tags,
                           const std::string& paths, int64_t now, size_t max_queued);
  static int count_wal_pages(void* store, sqlite3* db, const char* name, int pages);

  const Clock& clock_;
  mutable std::mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<Statements> statements_;
  std::atomic<int> wal_pages_{0};  // pages in the WAL after the last commit
};

}  // namespace isrgen::serve
