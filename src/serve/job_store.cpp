#include "serve/job_store.h"

#include <algorithm>
#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "util/hex.h"

namespace isrgen::serve {
namespace {

constexpr int kSchemaVersion = 1;

// seq is the order of acceptance (claims run oldest first); tags and paths
// are JSON arrays. The partial indexes keep the queue's reads and the prune
// off the bulk of finished jobs; their WHERE clauses must match the queries'
// literally for SQLite to use them. queue_depth counts the queued jobs, kept
// in the transactions that change it: counting them costs a scan of the
// queue, which at 10,000 queued jobs would cut acceptance to a quarter.
constexpr const char* kSchema = R"sql(
CREATE TABLE jobs(
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  tags TEXT NOT NULL,
  paths TEXT NOT NULL,
  delivery_id TEXT,
  accepted_ms INTEGER NOT NULL,
  started_ms INTEGER NOT NULL DEFAULT 0,
  finished_ms INTEGER NOT NULL DEFAULT 0,
  report TEXT,
  error TEXT NOT NULL DEFAULT '');
CREATE INDEX queued_jobs ON jobs(seq) WHERE status = 'queued';
CREATE INDEX finished_jobs ON jobs(finished_ms) WHERE status IN ('done', 'failed');
CREATE TABLE deliveries(
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL,
  seen_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX deliveries_by_age ON deliveries(seen_ms);
CREATE TABLE queue_depth(queued INTEGER NOT NULL);
INSERT INTO queue_depth VALUES (0);
)sql";

constexpr const char* kJobColumns =
    "id, status, tags, paths, delivery_id, accepted_ms, started_ms, finished_ms, report, error";

constexpr const char* kDamagedHint =
    " (jobs.db holds the job queue of `isrgen serve`; if it is damaged, stop the server and move the file aside: "
    "an empty queue is made, and jobs that were queued in it must be sent again)";

constexpr JobStatus kAllStatuses[] = {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kDone, JobStatus::kFailed};

JobStatus status_from_name(const std::string& name) {
  for (JobStatus status : kAllStatuses)
    if (job_status_name(status) == name) return status;
  throw std::runtime_error("unknown job status '" + name + "'");
}

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> strings_from_json(const std::string& text) {
  return nlohmann::json::parse(text).get<std::vector<std::string>>();
}

Result<std::string> random_job_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    char reason[256];
    ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
    return make_error("", 0, std::string("no random bytes for a job id: ") + reason);
  }
  return hex_encode(bytes, sizeof bytes);
}

// Prepared statements stay in use between calls; this returns one to its
// start so it holds no read snapshot after the call, whatever happened.
class ResetAfterUse {
 public:
  explicit ResetAfterUse(SQLite::Statement& statement) : statement_(statement) { statement_.reset(); }
  ~ResetAfterUse() { statement_.tryReset(); }
  ResetAfterUse(const ResetAfterUse&) = delete;
  ResetAfterUse& operator=(const ResetAfterUse&) = delete;

 private:
  SQLite::Statement& statement_;
};

Job read_job(SQLite::Statement& query) {
  Job job;
  job.id = query.getColumn(0).getString();
  job.status = status_from_name(query.getColumn(1).getString());
  job.request.tags = strings_from_json(query.getColumn(2).getString());
  job.request.paths = strings_from_json(query.getColumn(3).getString());
  if (!query.getColumn(4).isNull()) job.request.delivery_id = query.getColumn(4).getString();
  job.accepted_ms = query.getColumn(5).getInt64();
  job.started_ms = query.getColumn(6).getInt64();
  job.finished_ms = query.getColumn(7).getInt64();
  if (!query.getColumn(8).isNull()) job.report = nlohmann::json::parse(query.getColumn(8).getString());
  job.error = query.getColumn(9).getString();
  return job;
}

// Creates the schema of a new file; refuses a file of a newer isrgen or of
// something else, whose contents must not be touched.
std::optional<Error> prepare_schema(SQLite::Database& db, const std::filesystem::path& db_path) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version == kSchemaVersion) return std::nullopt;
  if (version > kSchemaVersion)
    return make_error(db_path.string(), 0,
                      "written by a newer isrgen (job queue schema " + std::to_string(version) +
                          ", this isrgen knows up to " + std::to_string(kSchemaVersion) +
                          "): run the newer isrgen, or move the file aside to start with an empty queue");
  if (db.execAndGet("SELECT count(*) FROM sqlite_master").getInt() != 0)
    return make_error(db_path.string(), 0,
                      "not a job queue of isrgen but a SQLite database of something else: move it aside, and "
                      "`isrgen serve` makes a new one");
  db.exec(kSchema);
  db.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
  transaction.commit();
  return std::nullopt;
}

}  // namespace

std::string_view job_status_name(JobStatus status) {
  switch (status) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kDone: return "done";
    case JobStatus::kFailed: return "failed";
  }
  return "unknown";
}

std::filesystem::path jobs_db_path(const SitePaths& paths) { return paths.state / "jobs.db"; }

struct JobStore::Statements {
  explicit Statements(SQLite::Database& db)
      : find_delivery(db, "SELECT job_id, seen_ms FROM deliveries WHERE id = ?"),
        count_queued(db, "SELECT queued FROM queue_depth"),
        one_more_queued(db, "UPDATE queue_depth SET queued = queued + 1"),
        insert_job(db,
                   "INSERT INTO jobs(id, status, tags, paths, delivery_id, accepted_ms) "
                   "VALUES (?, 'queued', ?, ?, ?, ?)"),
        remember_delivery(db, "INSERT OR REPLACE INTO deliveries(id, job_id, seen_ms) VALUES (?, ?, ?)"),
        select_queued(db, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE status = 'queued' ORDER BY seq"),
        start_queued(db, "UPDATE jobs SET status = 'running', started_ms = ? WHERE status = 'queued'"),
        none_queued(db, "UPDATE queue_depth SET queued = 0"),
        finish_job(db,
                   "UPDATE jobs SET status = ?, finished_ms = ?, report = ?, error = ? "
                   "WHERE id = ? AND status = 'running'"),
        find_job(db, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?") {}
  SQLite::Statement find_delivery, count_queued, one_more_queued, insert_job, remember_delivery, select_queued,
      start_queued, none_queued, finish_job, find_job;
};

JobStore::JobStore(std::unique_ptr<SQLite::Database> db, const Clock& clock)
    : clock_(clock), db_(std::move(db)), statements_(std::make_unique<Statements>(*db_)) {}
JobStore::~JobStore() = default;

Error JobStore::database_error(const std::exception& error) const {
  return make_error(db_->getFilename(), 0, error.what() + std::string(kDamagedHint));
}

Result<std::unique_ptr<JobStore>> JobStore::open(const std::filesystem::path& db_path, const Clock& clock) {
  try {
    std::filesystem::create_directories(db_path.parent_path());
    auto db = std::make_unique<SQLite::Database>(db_path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->setBusyTimeout(5000);
    db->exec("PRAGMA journal_mode=WAL");
    // Every accepted job is a small transaction: without an fsync for each,
    // a commit costs microseconds, and WAL still never corrupts on a crash
    // (a power cut may lose the last commits, a process crash loses none).
    db->exec("PRAGMA synchronous=NORMAL");
    if (auto refused = prepare_schema(*db, db_path)) return *refused;
    return std::unique_ptr<JobStore>(new JobStore(std::move(db), clock));
  } catch (const std::exception& error) {
    return make_error(db_path.string(), 0, error.what() + std::string(kDamagedHint));
  }
}

Result<AcceptOutcome> JobStore::accept(const JobRequest& request, size_t max_queued) {
  std::lock_guard lock(mutex_);
  try {
    int64_t now = clock_.now_unix_ms();
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    if (request.delivery_id) {
      SQLite::Statement& find = statements_->find_delivery;
      ResetAfterUse in_use(find);
      find.bind(1, *request.delivery_id);
      if (find.executeStep() && now - find.getColumn(1).getInt64() < kDeliveryIdMemoryMs)
        return AcceptOutcome(Acceptance{find.getColumn(0).getString(), true});
    }
    {
      SQLite::Statement& count = statements_->count_queued;
      ResetAfterUse in_use(count);
      count.executeStep();
      if (static_cast<size_t>(count.getColumn(0).getInt64()) >= max_queued)
        return AcceptOutcome(QueueFull{max_queued});
    }
    auto id = random_job_id();
    if (!id) return id.error();
    {
      SQLite::Statement& insert = statements_->insert_job;
      ResetAfterUse in_use(insert);
      insert.bind(1, id.value());
      insert.bind(2, dump_json(request.tags));
      insert.bind(3, dump_json(request.paths));
      if (request.delivery_id)
        insert.bind(4, *request.delivery_id);
      else
        insert.bind(4);
      insert.bind(5, now);
      insert.exec();
    }
    {
      ResetAfterUse in_use(statements_->one_more_queued);
      statements_->one_more_queued.exec();
    }
    if (request.delivery_id) {
      SQLite::Statement& remember = statements_->remember_delivery;
      ResetAfterUse in_use(remember);
      remember.bind(1, *request.delivery_id);
      remember.bind(2, id.value());
      remember.bind(3, now);
      remember.exec();
    }
    transaction.commit();
    return AcceptOutcome(Acceptance{std::move(id).value(), false});
  } catch (const std::exception& error) {
    return database_error(error);
  }
}

Result<std::vector<Job>> JobStore::claim_queued() {
  std::lock_guard lock(mutex_);
  try {
    int64_t now = clock_.now_unix_ms();
    std::vector<Job> jobs;
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    {
      SQLite::Statement& select = statements_->select_queued;
      ResetAfterUse in_use(select);
      while (select.executeStep()) jobs.push_back(read_job(select));
    }
    if (jobs.empty()) return jobs;
    {
      SQLite::Statement& start = statements_->start_queued;
      ResetAfterUse in_use(start);
      start.bind(1, now);
      start.exec();
    }
    {
      ResetAfterUse in_use(statements_->none_queued);
      statements_->none_queued.exec();
    }
    transaction.commit();
    for (Job& job : jobs) {
      job.status = JobStatus::kRunning;
      job.started_ms = now;
    }
    return jobs;
  } catch (const std::exception& error) {
    return database_error(error);
  }
}

Status JobStore::finish(const std::vector<std::string>& ids, JobStatus status, const nlohmann::json& report,
                        const std::string& error) {
  if (status != JobStatus::kDone && status != JobStatus::kFailed)
    return make_error(db_->getFilename(), 0,
                      "a job can only finish as done or failed, not " + std::string(job_status_name(status)));
  std::lock_guard lock(mutex_);
  try {
    int64_t now = clock_.now_unix_ms();
    std::string report_text = dump_json(report);
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement& update = statements_->finish_job;
    for (const std::string& id : ids) {
      ResetAfterUse in_use(update);
      update.bind(1, std::string(job_status_name(status)));
      update.bind(2, now);
      if (report.is_null())
        update.bind(3);
      else
        update.bind(3, report_text);
      update.bind(4, error);
      update.bind(5, id);
      if (update.exec() != 1)
        return make_error(db_->getFilename(), 0,
                          "job " + id + " is not running, so it cannot finish; no job of this batch was changed");
    }
    transaction.commit();
  } catch (const std::exception& failure) {
    return database_error(failure);
  }
  return Status::Ok();
}

Result<std::optional<Job>> JobStore::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement& query = statements_->find_job;
    ResetAfterUse in_use(query);
    query.bind(1, id);
    if (!query.executeStep()) return std::optional<Job>();
    return std::optional<Job>(read_job(query));
  } catch (const std::exception& error) {
    return database_error(error);
  }
}

Result<size_t> JobStore::queued_count() const {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement& count = statements_->count_queued;
    ResetAfterUse in_use(count);
    count.executeStep();
    return static_cast<size_t>(count.getColumn(0).getInt64());
  } catch (const std::exception& error) {
    return database_error(error);
  }
}

Status JobStore::requeue_interrupted() {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    db_->exec("UPDATE jobs SET status = 'queued', started_ms = 0 WHERE status = 'running'");
    db_->exec("UPDATE queue_depth SET queued = (SELECT count(*) FROM jobs WHERE status = 'queued')");
    transaction.commit();
  } catch (const std::exception& error) {
    return database_error(error);
  }
  return Status::Ok();
}

Status JobStore::prune(int64_t keep_ms) {
  std::lock_guard lock(mutex_);
  try {
    int64_t now = clock_.now_unix_ms();
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement jobs(*db_,
                           "DELETE FROM jobs WHERE status IN ('done', 'failed') AND finished_ms < ?");
    jobs.bind(1, now - keep_ms);
    jobs.exec();
    SQLite::Statement deliveries(*db_, "DELETE FROM deliveries WHERE seen_ms < ?");
    deliveries.bind(1, now - std::max(keep_ms, kDeliveryIdMemoryMs));
    deliveries.exec();
    transaction.commit();
  } catch (const std::exception& error) {
    return database_error(error);
  }
  return Status::Ok();
}

}  // namespace isrgen::serve
