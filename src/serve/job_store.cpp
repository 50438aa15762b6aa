#include "serve/job_store.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "state/sqlite_store.h"
#include "util/hex.h"

namespace isrgen::serve {
namespace {

// Version 1, as isrgen wrote it before reports moved to their own table. A new
// file is made by running it and then every upgrade, so that a new file and an
// upgraded one have the same tables and one set of queries serves both.
//
// seq is the order of acceptance (claims run oldest first); tags and paths
// are JSON arrays. The partial indexes keep the queue's reads and the prune
// off the bulk of finished jobs; their WHERE clauses must match the queries'
// literally for SQLite to use them. queue_depth counts the queued jobs, kept
// in the transactions that change it: counting them costs a scan of the
// queue, which at 10,000 queued jobs would cut acceptance to a quarter.
// report and error hold what jobs finished under version 1 ran into; since
// version 2 they stay NULL and '' and the batch a job names holds both.
constexpr const char* kSchemaVersion1 = R"sql(
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

// Version 2: one build runs every claimed job, and its report (often 10 to
// 100 KB) was written into each job's row; at thousands of jobs a batch that
// was hundreds of MB written under the store's lock, which held up accept().
// Now a finish() writes one batches row and each job only names it. Rows of
// version 1 keep their inline report (batch NULL), and reads take whichever
// of the two is there. jobs_by_batch lets the prune find the batches no job
// names any more; it is partial so that accepting a job, whose batch is NULL,
// adds nothing to it.
constexpr const char* kUpgradeToVersion2 = R"sql(
CREATE TABLE batches(
  id INTEGER PRIMARY KEY,
  finished_ms INTEGER NOT NULL,
  report TEXT,
  error TEXT NOT NULL);
CREATE INDEX batches_by_age ON batches(finished_ms);
ALTER TABLE jobs ADD COLUMN batch INTEGER;
CREATE INDEX jobs_by_batch ON jobs(batch) WHERE batch IS NOT NULL;
)sql";

// A file of another program, or of an older version no upgrade reaches, is
// refused: the jobs it may hold were promised to their senders.
const SqliteSchema kJobsSchema{
    .version = 2,
    .recorded_in = VersionRecord::kUserVersion,
    .create = kSchemaVersion1,
    .created_as = 1,
    .upgrades = {{1, kUpgradeToVersion2}},
    .without_upgrade = WithoutUpgrade::kRefuse,
};

// A 202 promises the job is on disk, power loss included: every commit
// fsyncs the WAL. Accepts are committed in groups (job_committer.h), so the
// fsync is shared by every webhook of a batch.
const SqliteProfile kJobsProfile{
    .journal = JournalMode::kWal,
    .synchronous = Synchronous::kFull,
    .foreign_keys = false,
    .busy_timeout_ms = 5000,
};

const StoreIdentity kJobQueue{
    .what_it_holds = "job queue of isrgen serve",
    .way_out = "stop the server and move jobs.db aside: an empty queue is made, and the jobs that were queued in it "
               "must be sent again",
};

// Claims and finishes of thousands of jobs are split into transactions of
// this many, so that no webhook's commit waits long for the store's lock.
constexpr size_t kRowsPerTransaction = 256;

// A batch's error is never NULL, so COALESCE falls back to the job's own
// columns exactly when the job names no batch: a job of version 1, or one
// not finished yet.
constexpr const char* kSelectJobs =
    "SELECT jobs.id, jobs.status, jobs.tags, jobs.paths, jobs.delivery_id, jobs.accepted_ms, jobs.started_ms, "
    "jobs.finished_ms, COALESCE(batches.report, jobs.report), COALESCE(batches.error, jobs.error) "
    "FROM jobs LEFT JOIN batches ON batches.id = jobs.batch ";

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

// A job as its row holds it. Rows are copied out under the store's lock and
// parsed into Jobs after it is released: parsing a 100 KB report, or the
// tags of thousands of claimed jobs, takes milliseconds that accept() on the
// HTTP threads need not wait for.
struct JobRow {
  std::string id, status, tags, paths;
  std::optional<std::string> delivery_id;
  int64_t accepted_ms = 0, started_ms = 0, finished_ms = 0;
  std::optional<std::string> report;
  std::string error;
};

// `query` selects kSelectJobs' columns.
JobRow read_row(SQLite::Statement& query) {
  JobRow row;
  row.id = query.getColumn(0).getString();
  row.status = query.getColumn(1).getString();
  row.tags = query.getColumn(2).getString();
  row.paths = query.getColumn(3).getString();
  if (!query.getColumn(4).isNull()) row.delivery_id = query.getColumn(4).getString();
  row.accepted_ms = query.getColumn(5).getInt64();
  row.started_ms = query.getColumn(6).getInt64();
  row.finished_ms = query.getColumn(7).getInt64();
  if (!query.getColumn(8).isNull()) row.report = query.getColumn(8).getString();
  row.error = query.getColumn(9).getString();
  return row;
}

Job job_from_row(JobRow&& row) {
  Job job;
  job.id = std::move(row.id);
  job.status = status_from_name(row.status);
  job.request.tags = strings_from_json(row.tags);
  job.request.paths = strings_from_json(row.paths);
  job.request.delivery_id = std::move(row.delivery_id);
  job.accepted_ms = row.accepted_ms;
  job.started_ms = row.started_ms;
  job.finished_ms = row.finished_ms;
  if (row.report) job.report = nlohmann::json::parse(*row.report);
  job.error = std::move(row.error);
  return job;
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
        select_queued(db, std::string(kSelectJobs) + "WHERE jobs.status = 'queued' ORDER BY jobs.seq LIMIT ?"),
        // The same rows as select_queued, inside the same transaction.
        start_queued(db,
                     "UPDATE jobs SET status = 'running', started_ms = ? WHERE seq IN "
                     "(SELECT seq FROM jobs WHERE status = 'queued' ORDER BY seq LIMIT ?)"),
        fewer_queued(db, "UPDATE queue_depth SET queued = MAX(0, queued - ?)"),
        insert_batch(db, "INSERT INTO batches(finished_ms, report, error) VALUES (?, ?, ?)"),
        finish_job(db,
                   "UPDATE jobs SET status = ?, finished_ms = ?, batch = ? "
                   "WHERE id = ? AND status = 'running'"),
        find_job(db, std::string(kSelectJobs) + "WHERE jobs.id = ?") {}
  SQLite::Statement find_delivery, count_queued, one_more_queued, insert_job, remember_delivery, select_queued,
      start_queued, fewer_queued, insert_batch, finish_job, find_job;
};

JobStore::JobStore(std::unique_ptr<SQLite::Database> db, const Clock& clock)
    : clock_(clock), db_(std::move(db)), statements_(std::make_unique<Statements>(*db_)) {}
JobStore::~JobStore() = default;

int JobStore::count_wal_pages(void* store, sqlite3*, const char*, int pages) {
  static_cast<JobStore*>(store)->wal_pages_ = pages;
  return SQLITE_OK;
}

Error JobStore::database_error(const std::exception& error) const {
  return store_failure(db_->getFilename(), error, kJobQueue);
}

Result<std::unique_ptr<JobStore>> JobStore::open(const std::filesystem::path& db_path, const Clock& clock) {
  auto db = open_sqlite_store(db_path, kJobQueue, kJobsSchema, kJobsProfile);
  if (!db) return db.error();
  try {
    std::unique_ptr<JobStore> store(new JobStore(std::move(db).value(), clock));
    // No checkpoint inside a commit (SQLite's default runs one in the commit
    // that passes 1,000 pages, under the store's lock): the committer runs
    // them between batches (checkpoint_if_grown). The hook replaces SQLite's
    // automatic checkpoints and only counts the WAL's pages.
    sqlite3_wal_hook(store->db_->getHandle(), &JobStore::count_wal_pages, store.get());
    return store;
  } catch (const std::exception& error) {  // preparing the statements
    return store_failure(db_path, error, kJobQueue);
  }
}

Result<AcceptOutcome> JobStore::accept(const JobRequest& request, size_t max_queued) {
  auto accepted = accept_all({request}, max_queued);
  if (!accepted) return accepted.error();
  const AcceptOutcome& outcome = accepted.value().front();
  if (const auto* full = std::get_if<QueueFull>(&outcome)) return AcceptOutcome(*full);
  return AcceptOutcome(std::get<Acceptance>(outcome));
}

Result<std::vector<AcceptOutcome>> JobStore::accept_all(const std::vector<JobRequest>& requests, size_t max_queued) {
  // Everything that needs no database is done before taking the lock, so
  // the lock is held for the transaction alone. Ids are drawn even for a
  // redelivery or a full queue that will not use them: 16 random bytes cost
  // less than a second trip through the lock.
  struct Prepared {
    std::string id, tags, paths;
  };
  std::vector<Prepared> prepared;
  prepared.reserve(requests.size());
  for (const JobRequest& request : requests) {
    auto id = random_job_id();
    if (!id) return id.error();
    prepared.push_back({std::move(id).value(), dump_json(request.tags), dump_json(request.paths)});
  }
  std::vector<AcceptOutcome> outcomes;
  outcomes.reserve(requests.size());
  std::lock_guard lock(mutex_);
  try {
    int64_t now = clock_.now_unix_ms();
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    for (size_t i = 0; i < requests.size(); ++i)
      outcomes.push_back(accept_one(requests[i], prepared[i].id, prepared[i].tags, prepared[i].paths, now, max_queued));
    transaction.commit();
    return outcomes;
  } catch (const std::exception& error) {
    return database_error(error);
  }
}

// Inside accept_all's transaction, which sees the rows of the requests before
// this one: a delivery id sent twice in one batch is a duplicate the second time.
AcceptOutcome JobStore::accept_one(const JobRequest& request, const std::string& id, const std::string& tags,
                                   const std::string& paths, int64_t now, size_t max_queued) {
  if (request.delivery_id) {
    SQLite::Statement& find = statements_->find_delivery;
    ResetAfterUse in_use(find);
    find.bind(1, *request.delivery_id);
    if (find.executeStep() && now - find.getColumn(1).getInt64() < kDeliveryIdMemoryMs)
      return Acceptance{find.getColumn(0).getString(), true};
  }
  {
    SQLite::Statement& count = statements_->count_queued;
    ResetAfterUse in_use(count);
    count.executeStep();
    if (static_cast<size_t>(count.getColumn(0).getInt64()) >= max_queued) return QueueFull{max_queued};
  }
  {
    SQLite::Statement& insert = statements_->insert_job;
    ResetAfterUse in_use(insert);
    insert.bind(1, id);
    insert.bind(2, tags);
    insert.bind(3, paths);
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
    remember.bind(2, id);
    remember.bind(3, now);
    remember.exec();
  }
  return Acceptance{id, false};
}

Status JobStore::checkpoint_if_grown(int min_pages) {
  if (wal_pages_.load() < min_pages) return Status::Ok();
  std::lock_guard lock(mutex_);
  try {
    // PASSIVE: copies what no reader still needs, never waits for anyone.
    db_->exec("PRAGMA wal_checkpoint(PASSIVE)");
    wal_pages_ = 0;
    return Status::Ok();
  } catch (const std::exception& error) {
    return database_error(error);
  }
}

Result<std::vector<Job>> JobStore::claim_queued() {
  std::vector<JobRow> rows;
  int64_t now = clock_.now_unix_ms();
  // In transactions of kRowsPerTransaction jobs, the lock let go between
  // them: a claim of 10,000 jobs never holds up a webhook's commit for longer
  // than one of them. A crash half-way leaves some jobs running, which
  // requeue_interrupted() puts back at the next start.
  for (;;) {
    std::lock_guard lock(mutex_);
    try {
      SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
      size_t before = rows.size();
      {
        SQLite::Statement& select = statements_->select_queued;
        ResetAfterUse in_use(select);
        select.bind(1, static_cast<int64_t>(kRowsPerTransaction));
        while (select.executeStep()) rows.push_back(read_row(select));
      }
      size_t claimed = rows.size() - before;
      if (claimed == 0) break;
      {
        SQLite::Statement& start = statements_->start_queued;
        ResetAfterUse in_use(start);
        start.bind(1, now);
        start.bind(2, static_cast<int64_t>(kRowsPerTransaction));
        start.exec();
      }
      {
        SQLite::Statement& fewer = statements_->fewer_queued;
        ResetAfterUse in_use(fewer);
        fewer.bind(1, static_cast<int64_t>(claimed));
        fewer.exec();
      }
      transaction.commit();
      if (claimed < kRowsPerTransaction) break;
    } catch (const std::exception& error) {
      if (!rows.empty()) break;  // what was claimed runs; the rest waits for the next claim
      return database_error(error);
    }
  }
  try {
    std::vector<Job> jobs;
    jobs.reserve(rows.size());
    for (JobRow& row : rows) {
      jobs.push_back(job_from_row(std::move(row)));
      jobs.back().status = JobStatus::kRunning;
      jobs.back().started_ms = now;
    }
    return jobs;
  } catch (const std::exception& error) {
    // The claim is committed: these jobs are running, and requeue_interrupted()
    // at the next start puts them back once the file is mended.
    return database_error(error);
  }
}

Status JobStore::finish(const std::vector<std::string>& ids, JobStatus status, const nlohmann::json& report,
                        const std::string& error) {
  if (status != JobStatus::kDone && status != JobStatus::kFailed)
    return make_error(db_->getFilename(), 0,
                      "a job can only finish as done or failed, not " + std::string(job_status_name(status)));
  // A batch without jobs would leave a report that nothing names.
  if (ids.empty()) return Status::Ok();
  // Written out before taking the lock: a 100 KB report takes about a
  // millisecond to serialise, which accept() need not wait for.
  std::optional<std::string> report_text;
  if (!report.is_null()) report_text = dump_json(report);
  const int64_t now = clock_.now_unix_ms();
  int64_t batch = 0;
  // In transactions of kRowsPerTransaction jobs, as claim_queued: the report
  // goes in with the first.
  for (size_t first = 0; first < ids.size(); first += kRowsPerTransaction) {
    std::lock_guard lock(mutex_);
    try {
      SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
      if (first == 0) {
        SQLite::Statement& insert = statements_->insert_batch;
        ResetAfterUse in_use(insert);
        insert.bind(1, now);
        if (report_text)
          insert.bind(2, *report_text);
        else
          insert.bind(2);
        insert.bind(3, error);
        insert.exec();
        batch = db_->getLastInsertRowid();
      }
      // The same statement for every job; a reset keeps the bindings, so only
      // the id is bound again. Each UPDATE is one lookup in the id's unique
      // index and a row of a few dozen bytes.
      SQLite::Statement& update = statements_->finish_job;
      ResetAfterUse in_use(update);
      update.bind(1, std::string(job_status_name(status)));
      update.bind(2, now);
      update.bind(3, batch);
      for (size_t i = first; i < std::min(ids.size(), first + kRowsPerTransaction); ++i) {
        update.reset();
        update.bind(4, ids[i]);
        if (update.exec() != 1)
          return make_error(db_->getFilename(), 0,
                            "job " + ids[i] + " is not running, so it cannot finish; the jobs of this batch before "
                            "it finished, it and the ones after did not");
      }
      transaction.commit();
    } catch (const std::exception& failure) {
      return database_error(failure);
    }
  }
  return Status::Ok();
}

Result<std::optional<Job>> JobStore::find(const std::string& id) const {
  JobRow row;
  {
    std::lock_guard lock(mutex_);
    try {
      SQLite::Statement& query = statements_->find_job;
      ResetAfterUse in_use(query);
      query.bind(1, id);
      if (!query.executeStep()) return std::optional<Job>();
      row = read_row(query);
    } catch (const std::exception& error) {
      return database_error(error);
    }
  }
  try {
    return std::optional<Job>(job_from_row(std::move(row)));
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
    int64_t jobs_before = now - keep_ms;
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement jobs(*db_,
                           "DELETE FROM jobs WHERE status IN ('done', 'failed') AND finished_ms < ?");
    jobs.bind(1, jobs_before);
    jobs.exec();
    // Every job of a batch finished at the batch's finished_ms, so the
    // batches older than the cut-off are those whose jobs went just now, and
    // batches_by_age finds them without reading the rest. The NOT EXISTS, one
    // probe of jobs_by_batch for each of them, makes sure no report goes that
    // a job still names.
    SQLite::Statement batches(*db_,
                              "DELETE FROM batches WHERE finished_ms < ? AND "
                              "NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.batch = batches.id)");
    batches.bind(1, jobs_before);
    batches.exec();
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
