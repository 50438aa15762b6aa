// Group commit on a real jobs.db: many webhooks at once become few
// transactions, each answered only after its commit, in submission order
// within a batch, with delivery ids and the queue cap kept as one by one.
#include "serve/job_committer.h"

#include <atomic>
#include <future>
#include <set>
#include <thread>
#include <variant>

#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "test_support.h"

using namespace isrgen;
using namespace isrgen::serve;
using isrgen::testing::ScratchDir;

namespace {

constexpr int64_t kStart = 1'790'000'000'000;

std::unique_ptr<JobStore> open_store(const ScratchDir& dir, const Clock& clock) {
  auto opened = JobStore::open(dir / "jobs.db", clock);
  REQUIRE(opened.ok());
  return std::move(opened.value());
}

JobRequest tagged(const std::string& tag, std::optional<std::string> delivery = std::nullopt) {
  return JobRequest{{tag}, {}, std::move(delivery)};
}

}  // namespace

TEST_CASE("job committer: webhooks from many threads are all stored before their answers", "[serve][jobs]") {
  ScratchDir dir;
  ManualClock clock(kStart);
  auto store = open_store(dir, clock);
  // Recorded on the writer thread, checked here: Catch2 asserts on one thread.
  std::mutex answers_mutex;
  std::set<std::string> ids;
  int refused = 0, missing_when_answered = 0;
  {
    JobCommitter committer(*store, 100'000);
    std::vector<std::thread> senders;
    for (int thread = 0; thread < 8; ++thread)
      senders.emplace_back([&, thread] {
        for (int i = 0; i < 250; ++i)
          committer.submit(tagged("t:" + std::to_string(thread) + "-" + std::to_string(i)),
                           [&](const Result<AcceptOutcome>& outcome) {
                             std::lock_guard lock(answers_mutex);
                             if (!outcome.ok() || !std::holds_alternative<Acceptance>(outcome.value())) {
                               ++refused;
                               return;
                             }
                             const std::string& id = std::get<Acceptance>(outcome.value()).job_id;
                             // Answered after the commit: the job is there already.
                             auto job = store->find(id);
                             if (!job.ok() || !job.value().has_value()) ++missing_when_answered;
                             ids.insert(id);
                           });
      });
    for (std::thread& sender : senders) sender.join();
  }  // the committer answers everything submitted before it stops
  CHECK(refused == 0);
  CHECK(missing_when_answered == 0);
  CHECK(ids.size() == 2000);
  auto queued = store->queued_count();
  REQUIRE(queued.ok());
  CHECK(queued.value() == 2000);
}

TEST_CASE("job committer: one batch keeps delivery ids and the queue cap as single accepts do", "[serve][jobs]") {
  ScratchDir dir;
  ManualClock clock(kStart);
  auto store = open_store(dir, clock);
  auto outcomes = store->accept_all({tagged("a", "delivery-1"), tagged("b", "delivery-1"), tagged("c"),
                                     tagged("d"), tagged("e")},
                                    3);
  REQUIRE(outcomes.ok());
  REQUIRE(outcomes.value().size() == 5);
  const auto& first = std::get<Acceptance>(outcomes.value()[0]);
  const auto& again = std::get<Acceptance>(outcomes.value()[1]);
  CHECK_FALSE(first.duplicate);
  CHECK(again.duplicate);
  CHECK(again.job_id == first.job_id);
  CHECK(std::holds_alternative<Acceptance>(outcomes.value()[2]));
  CHECK(std::holds_alternative<Acceptance>(outcomes.value()[3]));
  REQUIRE(std::holds_alternative<QueueFull>(outcomes.value()[4]));  // a, c, d queued: the cap of 3 is reached
  CHECK(std::get<QueueFull>(outcomes.value()[4]).max_queued == 3);
}

TEST_CASE("job committer: a store that fails refuses every job of the batch", "[serve][jobs]") {
  ScratchDir dir;
  ManualClock clock(kStart);
  auto store = open_store(dir, clock);
  {
    SQLite::Database other((dir / "jobs.db").string(), SQLite::OPEN_READWRITE);
    other.exec("ALTER TABLE jobs RENAME TO jobs_elsewhere");
  }
  std::promise<std::string> first, second;
  {
    JobCommitter committer(*store, 100);
    committer.submit(tagged("a"), [&](const Result<AcceptOutcome>& outcome) {
      first.set_value(outcome.ok() ? "stored" : outcome.error().message);
    });
    committer.submit(tagged("b"), [&](const Result<AcceptOutcome>& outcome) {
      second.set_value(outcome.ok() ? "stored" : outcome.error().message);
    });
  }
  CHECK_THAT(first.get_future().get(), Catch::Contains("jobs"));
  CHECK_THAT(second.get_future().get(), Catch::Contains("jobs"));
}
