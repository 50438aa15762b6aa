// The job queue on a real SQLite file: acceptance and its delivery-id memory,
// the queue limit, claims, finishing with a report stored once per batch,
// recovery after a crash, pruning, the upgrade of a file of schema 1 and the
// schema guard.
#include "serve/job_store.h"

#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "test_support.h"

using namespace isrgen;
using namespace isrgen::serve;
using isrgen::testing::ScratchDir;

namespace {

constexpr int64_t kStart = 1'790'000'000'000;
constexpr int64_t kHourMs = 60LL * 60 * 1000;
constexpr size_t kRoomy = 1000;

JobRequest request(std::vector<std::string> tags, std::vector<std::string> paths = {},
                   std::optional<std::string> delivery = std::nullopt) {
  return JobRequest{std::move(tags), std::move(paths), std::move(delivery)};
}

Acceptance accepted(JobStore& store, const JobRequest& job_request, size_t max_queued = kRoomy) {
  auto outcome = store.accept(job_request, max_queued);
  REQUIRE(outcome.ok());
  REQUIRE(std::holds_alternative<Acceptance>(outcome.value()));
  return std::get<Acceptance>(outcome.value());
}

Job found(const JobStore& store, const std::string& id) {
  auto job = store.find(id);
  REQUIRE(job.ok());
  REQUIRE(job.value().has_value());
  return *job.value();
}

std::vector<std::string> ids_of(const std::vector<Job>& jobs) {
  std::vector<std::string> ids;
  for (const Job& job : jobs) ids.push_back(job.id);
  return ids;
}

// Counts rows behind the store's back, on a connection of its own.
int64_t rows_in(const std::filesystem::path& db_path, const std::string& table) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT count(*) FROM " + table).getInt64();
}

struct StoreFixture {
  ScratchDir dir;
  ManualClock clock{kStart};
  std::filesystem::path db_path = dir / ".isrgen/jobs.db";
  std::unique_ptr<JobStore> store = JobStore::open(db_path, clock).value();
};

}  // namespace

TEST_CASE("job store: an accepted job is queued under a random id with its request", "[serve][jobs]") {
  StoreFixture fixture;
  Acceptance first = accepted(*fixture.store, request({"models:42", "tenant:acme"}, {"/acme/"}, "delivery-1"));
  Acceptance second = accepted(*fixture.store, request({"models:42"}));
  CHECK_FALSE(first.duplicate);
  CHECK(first.job_id.size() == 32);
  CHECK(first.job_id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(first.job_id != second.job_id);

  Job job = found(*fixture.store, first.job_id);
  CHECK(job.status == JobStatus::kQueued);
  CHECK(job.request.tags == std::vector<std::string>{"models:42", "tenant:acme"});
  CHECK(job.request.paths == std::vector<std::string>{"/acme/"});
  CHECK(job.request.delivery_id == "delivery-1");
  CHECK(job.accepted_ms == kStart);
  CHECK(job.started_ms == 0);
  CHECK(job.report.is_null());
  CHECK_FALSE(found(*fixture.store, second.job_id).request.delivery_id.has_value());
  CHECK(fixture.store->queued_count().value() == 2);
  CHECK_FALSE(fixture.store->find("0123456789abcdef0123456789abcdef").value().has_value());
}

TEST_CASE("job store: status names are the words of GET /jobs", "[serve][jobs]") {
  CHECK(job_status_name(JobStatus::kQueued) == "queued");
  CHECK(job_status_name(JobStatus::kRunning) == "running");
  CHECK(job_status_name(JobStatus::kDone) == "done");
  CHECK(job_status_name(JobStatus::kFailed) == "failed");
  SitePaths paths;
  paths.state = "/site/.isrgen";
  CHECK(jobs_db_path(paths) == std::filesystem::path("/site/.isrgen/jobs.db"));
}

TEST_CASE("job store: a delivery id seen within 24 h names the earlier job and queues nothing", "[serve][jobs]") {
  StoreFixture fixture;
  JobStore& store = *fixture.store;
  Acceptance original = accepted(store, request({"a"}, {}, "gh-1"));

  fixture.clock.advance_ms(kDeliveryIdMemoryMs - 1);
  Acceptance redelivered = accepted(store, request({"other"}, {}, "gh-1"));
  CHECK(redelivered.duplicate);
  CHECK(redelivered.job_id == original.job_id);
  CHECK(store.queued_count().value() == 1);
  // Another id is another delivery.
  CHECK_FALSE(accepted(store, request({"a"}, {}, "gh-2")).duplicate);

  fixture.clock.advance_ms(1);  // 24 h after the first acceptance
  Acceptance later = accepted(store, request({"a"}, {}, "gh-1"));
  CHECK_FALSE(later.duplicate);
  CHECK(later.job_id != original.job_id);
  Acceptance again = accepted(store, request({"a"}, {}, "gh-1"));
  CHECK(again.duplicate);
  CHECK(again.job_id == later.job_id);
  CHECK(store.queued_count().value() == 3);
}

TEST_CASE("job store: a full queue is told apart from a database error and leaves no trace", "[serve][jobs]") {
  StoreFixture fixture;
  JobStore& store = *fixture.store;
  accepted(store, request({"a"}), 2);
  accepted(store, request({"b"}), 2);

  auto refused = store.accept(request({"c"}, {}, "retried-later"), 2);
  REQUIRE(refused.ok());
  REQUIRE(std::holds_alternative<QueueFull>(refused.value()));
  CHECK(std::get<QueueFull>(refused.value()).max_queued == 2);
  CHECK(store.queued_count().value() == 2);

  // The refused delivery was not remembered: its retry is a new job once there is room.
  REQUIRE(store.claim_queued().value().size() == 2);
  Acceptance retry = accepted(store, request({"c"}, {}, "retried-later"), 2);
  CHECK_FALSE(retry.duplicate);

  SQLite::Database other(fixture.db_path.string(), SQLite::OPEN_READWRITE);
  other.exec("ALTER TABLE jobs RENAME TO jobs_elsewhere");
  auto broken = store.accept(request({"d"}), 2);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().file == fixture.db_path.string());
  CHECK(broken.error().message.find("jobs") != std::string::npos);
  // Not corruption: the database is kept, nobody is told to move it aside.
  CHECK(broken.error().message.find("is kept as it is") != std::string::npos);
  CHECK(broken.error().message.find("aside") == std::string::npos);
}

TEST_CASE("job store: a claim takes every queued job once, oldest first", "[serve][jobs]") {
  StoreFixture fixture;
  JobStore& store = *fixture.store;
  // Accepted in the same millisecond: the order of acceptance still decides.
  std::vector<std::string> expected;
  for (const char* tag : {"c", "a", "b"}) expected.push_back(accepted(store, request({tag})).job_id);

  fixture.clock.advance_ms(250);
  auto claimed = store.claim_queued();
  REQUIRE(claimed.ok());
  CHECK(ids_of(claimed.value()) == expected);
  for (const Job& job : claimed.value()) {
    CHECK(job.status == JobStatus::kRunning);
    CHECK(job.started_ms == kStart + 250);
  }
  CHECK(claimed.value()[1].request.tags == std::vector<std::string>{"a"});
  CHECK(found(store, expected[0]).status == JobStatus::kRunning);
  CHECK(store.queued_count().value() == 0);
  CHECK(store.claim_queued().value().empty());

  std::string later = accepted(store, request({"d"})).job_id;
  CHECK(ids_of(store.claim_queued().value()) == std::vector<std::string>{later});
}

TEST_CASE("job store: finished jobs keep their report, error and times", "[serve][jobs]") {
  StoreFixture fixture;
  JobStore& store = *fixture.store;
  std::string good = accepted(store, request({"a"})).job_id;
  std::string also_good = accepted(store, request({"b"})).job_id;
  REQUIRE(store.claim_queued().value().size() == 2);
  std::string bad = accepted(store, request({"c"})).job_id;
  REQUIRE(store.claim_queued().value().size() == 1);

  fixture.clock.advance_ms(1234);
  nlohmann::json report = {{"command", "revalidate"},
                           {"rendered", {{{"page", "acme/summer"}, {"changed", true}}}},
                           {"stats", {{"rendered", 1}, {"failed", 0}}}};
  REQUIRE(store.finish({good, also_good}, JobStatus::kDone, report, "").ok());
  REQUIRE(store.finish({bad}, JobStatus::kFailed, nullptr, "content/site.toml:3: unknown key").ok());

  Job done = found(store, also_good);
  CHECK(done.status == JobStatus::kDone);
  CHECK(done.report == report);
  CHECK(done.error.empty());
  CHECK(done.finished_ms == kStart + 1234);
  CHECK(found(store, good).report == report);
  Job failed = found(store, bad);
  CHECK(failed.status == JobStatus::kFailed);
  CHECK(failed.report.is_null());
  CHECK(failed.error == "content/site.toml:3: unknown key");
}

TEST_CASE("job store: only running jobs finish, and a refused batch changes nothing", "[serve][jobs]") {
  StoreFixture fixture;
  JobStore& store = *fixture.store;
  std::string running = accepted(store, request({"a"})).job_id;
  REQUIRE(store.claim_queued().value().size() == 1);
  std::string queued = accepted(store, request({"b"})).job_id;

  Status refused = store.finish({running, queued}, JobStatus::kDone, nullptr, "");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find(queued) != std::string::npos);
  CHECK(found(store, running).status == JobStatus::kRunning);
  CHECK(found(store, queued).status == JobStatus::kQueued);

  CHECK_FALSE(store.finish({running}, JobStatus::kQueued, nullptr, "").ok());
  CHECK(found(store, running).status == JobStatus::kRunning);
  // Nor was the refused batch's report kept.
  CHECK(rows_in(fixture.db_path, "batches") == 0);
}

TEST_CASE("job store: a batch's report is stored once, however many jobs it finished", "[serve][jobs]") {
  StoreFixture fixture;
  JobStore& store = *fixture.store;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(accepted(store, request({"t" + std::to_string(i)})).job_id);
  REQUIRE(store.claim_queued().value().size() == 3);
  nlohmann::json report = {{"command", "revalidate"}, {"pages", std::string(50'000, 'p')}};
  REQUIRE(store.finish(ids, JobStatus::kDone, report, "").ok());

  CHECK(rows_in(fixture.db_path, "batches") == 1);
  {
    SQLite::Database db(fixture.db_path.string(), SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("SELECT count(*) FROM jobs WHERE report IS NOT NULL").getInt() == 0);
    CHECK(db.execAndGet("SELECT count(DISTINCT batch) FROM jobs").getInt() == 1);
  }
  for (const std::string& id : ids) {
    Job job = found(store, id);
    CHECK(job.status == JobStatus::kDone);
    CHECK(job.report == report);
    CHECK(job.error.empty());
  }
}

TEST_CASE("job store: prune forgets the reports no job names any more", "[serve][jobs]") {
  StoreFixture fixture;
  JobStore& store = *fixture.store;
  std::string old_job = accepted(store, request({"a"})).job_id;
  REQUIRE(store.claim_queued().value().size() == 1);
  REQUIRE(store.finish({old_job}, JobStatus::kDone, {{"old", true}}, "").ok());

  fixture.clock.advance_ms(20 * kHourMs);
  std::vector<std::string> recent = {accepted(store, request({"b"})).job_id, accepted(store, request({"c"})).job_id};
  REQUIRE(store.claim_queued().value().size() == 2);
  REQUIRE(store.finish(recent, JobStatus::kFailed, {{"recent", true}}, "render failed").ok());
  REQUIRE(rows_in(fixture.db_path, "batches") == 2);

  fixture.clock.advance_ms(5 * kHourMs);
  REQUIRE(store.prune(24 * kHourMs).ok());
  CHECK_FALSE(store.find(old_job).value().has_value());
  CHECK(rows_in(fixture.db_path, "batches") == 1);
  Job kept = found(store, recent[1]);
  CHECK(kept.report == nlohmann::json{{"recent", true}});
  CHECK(kept.error == "render failed");

  fixture.clock.advance_ms(20 * kHourMs);
  REQUIRE(store.prune(24 * kHourMs).ok());
  CHECK(rows_in(fixture.db_path, "batches") == 0);
  CHECK(rows_in(fixture.db_path, "jobs") == 0);
}

TEST_CASE("job store: jobs a crash left running are queued again after reopening", "[serve][jobs]") {
  StoreFixture fixture;
  std::string interrupted = accepted(*fixture.store, request({"a"}, {"/acme/"})).job_id;
  REQUIRE(fixture.store->claim_queued().value().size() == 1);
  std::string waiting = accepted(*fixture.store, request({"b"})).job_id;
  fixture.store.reset();  // the process died during the build

  auto reopened = JobStore::open(fixture.db_path, fixture.clock);
  REQUIRE(reopened.ok());
  JobStore& store = *reopened.value();
  CHECK(found(store, interrupted).status == JobStatus::kRunning);
  CHECK(store.queued_count().value() == 1);
  REQUIRE(store.requeue_interrupted().ok());
  Job requeued = found(store, interrupted);
  CHECK(requeued.status == JobStatus::kQueued);
  CHECK(requeued.started_ms == 0);
  CHECK(store.queued_count().value() == 2);
  auto claimed = store.claim_queued().value();
  CHECK(ids_of(claimed) == std::vector<std::string>{interrupted, waiting});
  CHECK(claimed[0].request.paths == std::vector<std::string>{"/acme/"});
}

TEST_CASE("job store: prune forgets old finished jobs and delivery ids, never waiting ones", "[serve][jobs]") {
  StoreFixture fixture;
  JobStore& store = *fixture.store;
  std::string finished = accepted(store, request({"a"}, {}, "old-delivery")).job_id;
  REQUIRE(store.claim_queued().value().size() == 1);
  REQUIRE(store.finish({finished}, JobStatus::kDone, nlohmann::json::object(), "").ok());
  std::string running = accepted(store, request({"b"})).job_id;
  REQUIRE(store.claim_queued().value().size() == 1);
  std::string queued = accepted(store, request({"c"})).job_id;

  SECTION("after the keep time") {
    fixture.clock.advance_ms(25 * kHourMs);
    REQUIRE(store.prune(24 * kHourMs).ok());
    CHECK_FALSE(store.find(finished).value().has_value());
    CHECK(found(store, running).status == JobStatus::kRunning);
    CHECK(found(store, queued).status == JobStatus::kQueued);
    CHECK_FALSE(accepted(store, request({"a"}, {}, "old-delivery")).duplicate);
  }
  SECTION("delivery ids are kept 24 h even when jobs are kept less") {
    fixture.clock.advance_ms(2 * kHourMs);
    REQUIRE(store.prune(kHourMs).ok());
    CHECK_FALSE(store.find(finished).value().has_value());
    CHECK(found(store, queued).status == JobStatus::kQueued);
    Acceptance redelivered = accepted(store, request({"a"}, {}, "old-delivery"));
    CHECK(redelivered.duplicate);
    CHECK(redelivered.job_id == finished);
  }
  SECTION("within the keep time nothing goes") {
    fixture.clock.advance_ms(23 * kHourMs);
    REQUIRE(store.prune(24 * kHourMs).ok());
    CHECK(found(store, finished).status == JobStatus::kDone);
  }
}

TEST_CASE("job store: a file of a newer isrgen or of something else is refused untouched", "[serve][jobs]") {
  ScratchDir dir;
  ManualClock clock(kStart);
  auto path = dir / "jobs.db";
  SECTION("newer schema") {
    {
      SQLite::Database newer(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      newer.exec("CREATE TABLE jobs(x); INSERT INTO jobs VALUES (7); PRAGMA user_version=3");
    }
    auto opened = JobStore::open(path, clock);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().file == path.string());
    CHECK(opened.error().message.find("newer isrgen") != std::string::npos);
  }
  SECTION("another database") {
    {
      SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      other.exec("CREATE TABLE jobs(x); INSERT INTO jobs VALUES (7)");
    }
    auto opened = JobStore::open(path, clock);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().message.find("not a job queue") != std::string::npos);
  }
  SQLite::Database check(path.string(), SQLite::OPEN_READONLY);
  CHECK(check.execAndGet("SELECT x FROM jobs").getInt() == 7);
}

// The schema isrgen wrote as version 1, as it was: the upgrade must take a
// file that holds exactly this.
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

TEST_CASE("job store: a file of schema 1 is upgraded in place with its jobs", "[serve][jobs]") {
  ScratchDir dir;
  ManualClock clock(kStart);
  auto path = dir / "jobs.db";
  const std::string done_id(32, 'd'), failed_id(32, 'f'), queued_id(32, 'a'), running_id(32, 'b');
  {
    SQLite::Database old(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    old.exec("PRAGMA journal_mode=WAL");
    old.exec(kSchemaVersion1);
    old.exec("PRAGMA user_version=1");
    old.exec("INSERT INTO jobs(id, status, tags, paths, delivery_id, accepted_ms, started_ms, finished_ms, report, "
             "error) VALUES "
             "('" + done_id + "', 'done', '[\"a\"]', '[]', 'gh-done', " + std::to_string(kStart - 3000) + ", " +
             std::to_string(kStart - 2000) + ", " + std::to_string(kStart - 1000) +
             ", '{\"command\":\"revalidate\"}', ''), "
             "('" + failed_id + "', 'failed', '[\"f\"]', '[]', NULL, " + std::to_string(kStart - 3000) + ", " +
             std::to_string(kStart - 2000) + ", " + std::to_string(kStart - 1000) +
             ", NULL, 'content/site.toml:3: unknown key'), "
             "('" + running_id + "', 'running', '[\"b\"]', '[\"/acme/\"]', NULL, " + std::to_string(kStart - 500) +
             ", " + std::to_string(kStart - 400) + ", 0, NULL, ''), "
             "('" + queued_id + "', 'queued', '[\"c\"]', '[]', 'gh-queued', " + std::to_string(kStart - 100) +
             ", 0, 0, NULL, '')");
    old.exec("INSERT INTO deliveries VALUES ('gh-done', '" + done_id + "', " + std::to_string(kStart - 3000) +
             "), ('gh-queued', '" + queued_id + "', " + std::to_string(kStart - 100) + ")");
    old.exec("UPDATE queue_depth SET queued = 1");
  }

  auto opened = JobStore::open(path, clock);
  REQUIRE(opened.ok());
  JobStore& store = *opened.value();
  {
    SQLite::Database check(path.string(), SQLite::OPEN_READONLY);
    CHECK(check.execAndGet("PRAGMA user_version").getInt() == 2);
  }

  Job done = found(store, done_id);
  CHECK(done.status == JobStatus::kDone);
  CHECK(done.report == nlohmann::json{{"command", "revalidate"}});
  CHECK(done.request.delivery_id == "gh-done");
  CHECK(done.finished_ms == kStart - 1000);
  Job failed = found(store, failed_id);
  CHECK(failed.status == JobStatus::kFailed);
  CHECK(failed.report.is_null());
  CHECK(failed.error == "content/site.toml:3: unknown key");
  CHECK(found(store, queued_id).status == JobStatus::kQueued);
  CHECK(store.queued_count().value() == 1);
  CHECK(accepted(store, request({"c"}, {}, "gh-queued")).job_id == queued_id);

  // The old rows go on through the new code: the interrupted job is queued
  // again, both run, and their report lands in a batch.
  REQUIRE(store.requeue_interrupted().ok());
  auto claimed = store.claim_queued().value();
  REQUIRE(ids_of(claimed) == std::vector<std::string>{running_id, queued_id});
  CHECK(claimed[0].request.paths == std::vector<std::string>{"/acme/"});
  REQUIRE(store.finish(ids_of(claimed), JobStatus::kDone, {{"new", 1}}, "").ok());
  CHECK(found(store, running_id).report == nlohmann::json{{"new", 1}});
  CHECK(found(store, done_id).report == nlohmann::json{{"command", "revalidate"}});

  // Opening it again finds it current and changes nothing.
  opened.value().reset();
  auto reopened = JobStore::open(path, clock);
  REQUIRE(reopened.ok());
  CHECK(found(*reopened.value(), queued_id).report == nlohmann::json{{"new", 1}});

  clock.advance_ms(25 * kHourMs);
  REQUIRE(reopened.value()->prune(24 * kHourMs).ok());
  CHECK(rows_in(path, "jobs") == 0);
  CHECK(rows_in(path, "batches") == 0);
}

TEST_CASE("job store: a file that is not SQLite is an error with a way out", "[serve][jobs]") {
  ScratchDir dir;
  ManualClock clock(kStart);
  isrgen::testing::write_text(dir / "jobs.db", std::string(4096, 'x'));
  auto opened = JobStore::open(dir / "jobs.db", clock);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find("damaged: stop the server and move jobs.db aside") != std::string::npos);
  CHECK(isrgen::testing::read_text(dir / "jobs.db") == std::string(4096, 'x'));
}

TEST_CASE("job store: claims and finishes of more jobs than one transaction takes keep every job", "[serve][jobs]") {
  StoreFixture fixture;
  std::vector<JobRequest> requests;
  for (int i = 0; i < 1000; ++i) requests.push_back(request({"t:" + std::to_string(i)}));
  REQUIRE(fixture.store->accept_all(requests, 5000).ok());
  auto claimed = fixture.store->claim_queued();
  REQUIRE(claimed.ok());
  REQUIRE(claimed.value().size() == 1000);
  std::vector<std::string> ids;
  for (size_t i = 0; i < claimed.value().size(); ++i) {
    CHECK(claimed.value()[i].request.tags == std::vector<std::string>{"t:" + std::to_string(i)});  // oldest first
    ids.push_back(claimed.value()[i].id);
  }
  CHECK(fixture.store->queued_count().value() == 0);
  CHECK(fixture.store->claim_queued().value().empty());
  REQUIRE(fixture.store->finish(ids, JobStatus::kDone, {{"rendered", 7}}, "").ok());
  for (const std::string& id : {ids.front(), ids[500], ids.back()}) {
    Job job = found(*fixture.store, id);
    CHECK(job.status == JobStatus::kDone);
    CHECK(job.report == nlohmann::json{{"rendered", 7}});
  }
  CHECK(rows_in(fixture.db_path, "batches") == 1);
}
