// The worker on a real job store: coalescing a burst into two builds, failed
// builds, recovery after a crash, a graceful stop, pruning by the clock and
// store failures. The runner stands in for `revalidate`; the tests wait on
// conditions the runner and the observers signal, never on time.
#include "serve/job_worker.h"

#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "test_support.h"

using namespace isrgen;
using namespace isrgen::serve;
using isrgen::testing::ScratchDir;

namespace {

constexpr int64_t kStart = 1'790'000'000'000;
constexpr size_t kRoomy = 1000;
constexpr auto kGenerous = std::chrono::seconds(20);

// Calls from the worker thread, waited for by the test thread. A build can be
// held until the test opens the gate, so jobs arrive while it runs.
class RecordingRunner {
 public:
  WorkRunner runner() {
    return [this](const MergedWork& work) {
      std::unique_lock lock(mutex_);
      calls_.push_back(work);
      changed_.notify_all();
      changed_.wait_for(lock, kGenerous, [&] { return !hold_; });
      size_t call = calls_.size();
      if (call <= outcomes_.size()) {
        if (outcomes_[call - 1].error == "throw") throw std::runtime_error("disk full");
        return outcomes_[call - 1];
      }
      return WorkOutcome{true, {{"build", call}}, ""};
    };
  }

  // The outcomes of the first calls; later calls succeed with {"build": n}.
  void answer(std::vector<WorkOutcome> outcomes) { outcomes_ = std::move(outcomes); }
  void hold() {
    std::lock_guard lock(mutex_);
    hold_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    hold_ = false;
    changed_.notify_all();
  }
  bool wait_for_calls(size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kGenerous, [&] { return calls_.size() >= count; });
  }
  std::vector<MergedWork> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool hold_ = false;
  std::vector<MergedWork> calls_;
  std::vector<WorkOutcome> outcomes_;
};

// What the observers saw.
class Observed {
 public:
  // Each finished job as (status, milliseconds from acceptance), and whether
  // the store showed every job's end before the observer heard of it.
  WorkerObservers observers(const Clock& clock, const JobStore& store) {
    return {[this, &clock, &store](const std::vector<Job>& jobs, JobStatus status, const WorkOutcome&) {
              std::lock_guard lock(mutex_);
              for (const Job& job : jobs) {
                finished_.emplace_back(status, clock.now_unix_ms() - job.accepted_ms);
                auto stored = store.find(job.id);
                recorded_first_ = recorded_first_ && stored.ok() && stored.value() && stored.value()->status == status;
              }
              changed_.notify_all();
            },
            [this](const Error& error) {
              std::lock_guard lock(mutex_);
              store_errors_.push_back(error.to_string());
              changed_.notify_all();
            }};
  }
  bool wait_for_finished(size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kGenerous, [&] { return finished_.size() >= count; });
  }
  bool wait_for_store_errors(size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kGenerous, [&] { return store_errors_.size() >= count; });
  }
  std::vector<std::pair<JobStatus, int64_t>> finished() {
    std::lock_guard lock(mutex_);
    return finished_;
  }
  std::vector<std::string> store_errors() {
    std::lock_guard lock(mutex_);
    return store_errors_;
  }
  bool recorded_first() {
    std::lock_guard lock(mutex_);
    return recorded_first_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<JobStatus, int64_t>> finished_;
  std::vector<std::string> store_errors_;
  bool recorded_first_ = true;
};

// Waits (on the worker thread's progress, not on time) until it has pruned at `now_ms`.
bool prune_seen_at(const JobWorker& worker, int64_t now_ms) {
  return worker.wait_for_metrics([&](const WorkerMetrics& now) { return now.last_prune_ms == now_ms; },
                                 std::chrono::duration_cast<std::chrono::milliseconds>(kGenerous));
}

struct WorkerFixture {
  ScratchDir dir;
  ManualClock clock{kStart};
  std::filesystem::path db_path = dir / "jobs.db";
  std::unique_ptr<JobStore> store = JobStore::open(db_path, clock).value();
  RecordingRunner runner;
  Observed observed;
  WorkerObservers observers() { return observed.observers(clock, *store); }

  std::string accept(std::vector<std::string> tags, std::vector<std::string> paths = {}) {
    auto outcome = store->accept(JobRequest{std::move(tags), std::move(paths), std::nullopt}, kRoomy);
    REQUIRE(outcome.ok());
    return std::get<Acceptance>(outcome.value()).job_id;
  }
  Job job(const std::string& id) {
    auto found = store->find(id);
    REQUIRE(found.ok());
    REQUIRE(found.value().has_value());
    return *found.value();
  }
};

}  // namespace

TEST_CASE("job worker: merged work is the sorted union of the jobs' tags and paths", "[serve][jobs]") {
  std::vector<Job> jobs(3);
  jobs[0].request = {{"tenant:acme", "models:42"}, {"/acme/b/"}, std::nullopt};
  jobs[1].request = {{"models:42"}, {"/acme/a/", "/acme/b/"}, std::nullopt};
  jobs[2].request = {{"data:prices"}, {}, std::nullopt};
  MergedWork work = merge_work(jobs);
  CHECK(work.tags == std::vector<std::string>{"data:prices", "models:42", "tenant:acme"});
  CHECK(work.paths == std::vector<std::string>{"/acme/a/", "/acme/b/"});
  CHECK(merge_work({}).tags.empty());
}

TEST_CASE("job worker: a burst while a build runs becomes one more build", "[serve][jobs]") {
  WorkerFixture fixture;
  fixture.runner.hold();
  JobWorker worker(*fixture.store, fixture.runner.runner(), fixture.clock, fixture.observers());
  REQUIRE(worker.start().ok());

  std::vector<std::string> ids{fixture.accept({"first"}, {"/acme/"})};
  worker.notify();
  REQUIRE(fixture.runner.wait_for_calls(1));
  CHECK(fixture.job(ids[0]).status == JobStatus::kRunning);

  fixture.clock.advance_ms(500);
  std::vector<std::string> burst_tags;
  for (int i = 0; i < 100; ++i) {
    std::string tag = "models:" + std::to_string(i);
    burst_tags.push_back(tag);
    ids.push_back(fixture.accept({tag, "tenant:acme"}));
    worker.notify();
  }
  CHECK(fixture.job(ids[50]).status == JobStatus::kQueued);
  fixture.runner.release();
  REQUIRE(fixture.observed.wait_for_finished(101));
  worker.stop();

  auto calls = fixture.runner.calls();
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].tags == std::vector<std::string>{"first"});
  CHECK(calls[0].paths == std::vector<std::string>{"/acme/"});
  burst_tags.push_back("tenant:acme");
  std::sort(burst_tags.begin(), burst_tags.end());
  CHECK(calls[1].tags == burst_tags);
  CHECK(calls[1].paths.empty());

  CHECK(fixture.job(ids[0]).report == nlohmann::json{{"build", 1}});
  for (size_t i = 1; i < ids.size(); ++i) {
    Job job = fixture.job(ids[i]);
    CHECK(job.status == JobStatus::kDone);
    CHECK(job.report == nlohmann::json{{"build", 2}});
  }
  // Latency from acceptance: the first job waited out the held build, the burst did not wait.
  auto finished = fixture.observed.finished();
  CHECK(finished[0] == std::make_pair(JobStatus::kDone, int64_t{500}));
  CHECK(std::count(finished.begin(), finished.end(), std::make_pair(JobStatus::kDone, int64_t{0})) == 100);
  CHECK(fixture.observed.recorded_first());
  WorkerMetrics metrics = worker.metrics();
  CHECK(metrics.builds == 2);
  CHECK(metrics.jobs_done == 101);
  CHECK(metrics.jobs_failed == 0);
  CHECK(metrics.jobs_running == 0);
  CHECK(fixture.store->queued_count().value() == 0);
}

TEST_CASE("job worker: a failed or throwing build fails its jobs and the worker goes on", "[serve][jobs]") {
  WorkerFixture fixture;
  fixture.runner.answer({WorkOutcome{false, {{"failed", 1}}, "content/pages/acme/x.md:3: unknown layout 'nope'"},
                         WorkOutcome{false, nullptr, "throw"}, WorkOutcome{false, nullptr, ""}});
  JobWorker worker(*fixture.store, fixture.runner.runner(), fixture.clock, fixture.observers());
  REQUIRE(worker.start().ok());

  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(fixture.accept({"t" + std::to_string(i)}));
    worker.notify();
    REQUIRE(fixture.observed.wait_for_finished(ids.size()));
  }

  Job unknown_layout = fixture.job(ids[0]);
  CHECK(unknown_layout.status == JobStatus::kFailed);
  CHECK(unknown_layout.error == "content/pages/acme/x.md:3: unknown layout 'nope'");
  CHECK(unknown_layout.report == nlohmann::json{{"failed", 1}});
  Job thrown = fixture.job(ids[1]);
  CHECK(thrown.status == JobStatus::kFailed);
  CHECK(thrown.error == "the build stopped with an exception: disk full");
  CHECK(fixture.job(ids[2]).error == "the build failed");
  CHECK(fixture.job(ids[3]).status == JobStatus::kDone);
  WorkerMetrics metrics = worker.metrics();
  CHECK(metrics.jobs_failed == 3);
  CHECK(metrics.jobs_done == 1);
  CHECK(metrics.builds == 4);
  CHECK(fixture.observed.finished()[1].first == JobStatus::kFailed);
}

TEST_CASE("job worker: jobs of a build cut short by a crash run after the restart", "[serve][jobs]") {
  WorkerFixture fixture;
  std::string interrupted = fixture.accept({"models:42"}, {"/acme/"});
  REQUIRE(fixture.store->claim_queued().value().size() == 1);
  std::string waiting = fixture.accept({"tenant:nova"});
  fixture.store.reset();  // the process died during the build

  fixture.store = JobStore::open(fixture.db_path, fixture.clock).value();
  JobWorker worker(*fixture.store, fixture.runner.runner(), fixture.clock, fixture.observers());
  REQUIRE(worker.start().ok());
  REQUIRE(fixture.observed.wait_for_finished(2));

  auto calls = fixture.runner.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].tags == std::vector<std::string>{"models:42", "tenant:nova"});
  CHECK(calls[0].paths == std::vector<std::string>{"/acme/"});
  CHECK(fixture.job(interrupted).status == JobStatus::kDone);
  CHECK(fixture.job(waiting).status == JobStatus::kDone);
}

TEST_CASE("job worker: stop lets the running build finish and leaves queued jobs for the next start",
          "[serve][jobs]") {
  WorkerFixture fixture;
  fixture.runner.hold();
  std::string running;
  std::string queued;
  {
    JobWorker worker(*fixture.store, fixture.runner.runner(), fixture.clock, fixture.observers());
    REQUIRE(worker.start().ok());
    running = fixture.accept({"a"});
    worker.notify();
    REQUIRE(fixture.runner.wait_for_calls(1));
    queued = fixture.accept({"b"});
    worker.notify();

    std::thread stopper([&] { worker.stop(); });
    CHECK(worker.wait_for_metrics([](const WorkerMetrics& now) { return now.stopping; },
                                  std::chrono::duration_cast<std::chrono::milliseconds>(kGenerous)));
    CHECK(fixture.job(running).status == JobStatus::kRunning);
    fixture.runner.release();
    stopper.join();
  }
  CHECK(fixture.runner.calls().size() == 1);
  CHECK(fixture.job(running).status == JobStatus::kDone);
  CHECK(fixture.job(queued).status == JobStatus::kQueued);

  JobWorker next(*fixture.store, fixture.runner.runner(), fixture.clock, fixture.observers());
  REQUIRE(next.start().ok());
  REQUIRE(fixture.observed.wait_for_finished(2));
  CHECK(fixture.job(queued).status == JobStatus::kDone);
  CHECK(fixture.runner.calls().at(1).tags == std::vector<std::string>{"b"});
}

TEST_CASE("job worker: jobs older than a day are pruned as the clock passes the hour", "[serve][jobs]") {
  WorkerFixture fixture;
  JobWorker worker(*fixture.store, fixture.runner.runner(), fixture.clock, fixture.observers());
  REQUIRE(worker.start().ok());
  REQUIRE(prune_seen_at(worker, kStart));
  std::string old = fixture.accept({"a"});
  worker.notify();
  REQUIRE(fixture.observed.wait_for_finished(1));

  fixture.clock.advance_ms(kPruneIntervalMs - 1);
  worker.notify();
  fixture.clock.advance_ms(1);
  worker.notify();
  REQUIRE(prune_seen_at(worker, kStart + kPruneIntervalMs));
  CHECK(fixture.job(old).status == JobStatus::kDone);  // within the day

  std::string recent = fixture.accept({"b"});
  worker.notify();
  REQUIRE(fixture.observed.wait_for_finished(2));
  fixture.clock.advance_ms(kKeepFinishedJobsMs);
  worker.notify();
  REQUIRE(prune_seen_at(worker, kStart + kPruneIntervalMs + kKeepFinishedJobsMs));
  CHECK_FALSE(fixture.store->find(old).value().has_value());
  CHECK(fixture.job(recent).status == JobStatus::kDone);  // exactly a day old: kept until the next hour
}

TEST_CASE("job worker: a store failure is reported and the batch recorded once the store works again",
          "[serve][jobs]") {
  WorkerFixture fixture;
  fixture.runner.hold();
  // Queued before the start, which claims it: no further wake-up, so the
  // worker tries the store again only when notified below.
  std::string built = fixture.accept({"a"});
  JobWorker worker(*fixture.store, fixture.runner.runner(), fixture.clock, fixture.observers());
  REQUIRE(worker.start().ok());
  REQUIRE(fixture.runner.wait_for_calls(1));
  std::string waiting = fixture.accept({"b"});

  SQLite::Database other(fixture.db_path.string(), SQLite::OPEN_READWRITE);
  other.exec("ALTER TABLE jobs RENAME TO jobs_elsewhere");
  fixture.runner.release();
  REQUIRE(fixture.observed.wait_for_store_errors(1));
  CHECK(fixture.observed.store_errors()[0].find("jobs.db") != std::string::npos);
  WorkerMetrics failing = worker.metrics();
  CHECK(failing.store_failing);
  CHECK(failing.store_errors == 1);
  CHECK(failing.jobs_running == 1);
  CHECK(fixture.observed.finished().empty());

  other.exec("ALTER TABLE jobs_elsewhere RENAME TO jobs");
  worker.notify();
  REQUIRE(fixture.observed.wait_for_finished(2));
  CHECK(fixture.job(built).report == nlohmann::json{{"build", 1}});
  CHECK(fixture.job(waiting).report == nlohmann::json{{"build", 2}});
  CHECK_FALSE(worker.metrics().store_failing);
  CHECK(fixture.runner.calls().size() == 2);
}
