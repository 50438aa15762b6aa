#include "publish/state_lease.h"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "publish/test_state_bucket.h"

using namespace isrgen;
using namespace isrgen::publish;
using isrgen::publish::testing::MemoryStateBucket;

namespace {

constexpr int64_t kStart = 1'790'000'000'000;
constexpr int64_t kTtl = 60'000;

LeaseRequest request_for(const std::string& command, ManualClock& clock, int64_t wait_ms = 0) {
  LeaseRequest request;
  request.command = command;
  request.ttl_ms = kTtl;
  request.wait_ms = wait_ms;
  request.pause = [&clock](int64_t ms) { clock.advance_ms(ms); };
  return request;
}

}  // namespace

TEST_CASE("lease: one run holds it, another is told who, and gets it once it is released") {
  MemoryStateBucket bucket;
  ManualClock clock(kStart);
  auto first = StateLease::acquire(bucket, request_for("isrgen build", clock), clock);
  REQUIRE(first.ok());
  auto note = LeaseNote::parse(bucket.objects.at("lock.json"));
  REQUIRE(note);
  CHECK(note->command == "isrgen build");
  CHECK(note->expires_ms == kStart + kTtl);

  auto second = StateLease::acquire(bucket, request_for("isrgen sync", clock), clock);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().kind == ErrorKind::kInput);
  CHECK(second.error().message.find("in use by isrgen build (pid ") != std::string::npos);
  CHECK(second.error().message.find("--state-wait SECONDS") != std::string::npos);

  // Waiting: the holder lets go during the wait.
  LeaseRequest waiting = request_for("isrgen sync", clock, 30'000);
  std::string told;
  waiting.on_wait = [&](const std::string& holder) { told = holder; };
  waiting.pause = [&](int64_t ms) {
    clock.advance_ms(ms);
    first.value()->release();
  };
  auto third = StateLease::acquire(bucket, waiting, clock);
  REQUIRE(third.ok());
  CHECK(told.starts_with("isrgen build"));
  CHECK(LeaseNote::parse(bucket.objects.at("lock.json"))->command == "isrgen sync");
  third.value()->release();
  CHECK_FALSE(bucket.objects.contains("lock.json"));
}

TEST_CASE("lease: a wait that runs out names the holder and how long it waited") {
  MemoryStateBucket bucket;
  ManualClock clock(kStart);
  auto first = StateLease::acquire(bucket, request_for("isrgen serve", clock), clock);
  REQUIRE(first.ok());
  REQUIRE(first.value()->renew().ok());  // a long run keeps it
  auto second = StateLease::acquire(bucket, request_for("isrgen build", clock, 10'000), clock);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message.find("still in use after waiting 10 s by isrgen serve") != std::string::npos);
  CHECK(clock.now_unix_ms() == kStart + 10'000);
}

TEST_CASE("lease: an expired lease is taken over, and its old holder learns so and stores nothing") {
  MemoryStateBucket bucket;
  ManualClock clock(kStart);
  auto stalled = StateLease::acquire(bucket, request_for("isrgen build", clock), clock);
  REQUIRE(stalled.ok());
  clock.advance_ms(kTtl);
  LeaseRequest taking = request_for("isrgen build", clock);
  std::string taken_from;
  taking.on_takeover = [&](const std::string& holder) { taken_from = holder; };
  auto taker = StateLease::acquire(bucket, taking, clock);
  REQUIRE(taker.ok());
  CHECK(taken_from.starts_with("isrgen build"));

  Status renewed = stalled.value()->renew();
  REQUIRE_FALSE(renewed.ok());
  CHECK(renewed.error().message.find("taken over by another run") != std::string::npos);
  CHECK_FALSE(stalled.value()->held());
  stalled.value()->release();  // must not remove the taker's lease
  REQUIRE(bucket.objects.contains("lock.json"));
  CHECK(LeaseNote::parse(bucket.objects.at("lock.json"))->holder == taker.value()->note().holder);
  CHECK(taker.value()->renew().ok());
}

TEST_CASE("lease: a renewal whose answer was lost finds its own note, and keeps the lease") {
  MemoryStateBucket bucket;
  ManualClock clock(kStart);
  auto lease = StateLease::acquire(bucket, request_for("isrgen serve", clock), clock);
  REQUIRE(lease.ok());
  clock.advance_ms(20'000);
  // The first attempt of the renewal landed, its answer did not: the retry's
  // condition names the ETag before it.
  LeaseNote landed = lease.value()->note();
  landed.expires_ms = clock.now_unix_ms() + kTtl;
  bucket.before_put = [&](const std::string&, const PutCondition&) { bucket.objects["lock.json"] = landed.to_json(); };
  REQUIRE(lease.value()->renew().ok());
  CHECK(lease.value()->held());
  CHECK(lease.value()->renew().ok());  // and the ETag it adopted is the one to renew on
  CHECK(LeaseNote::parse(bucket.objects.at("lock.json"))->expires_ms == kStart + 20'000 + kTtl);
}

TEST_CASE("lease: renewing goes on through failures of the bucket, and stops once the lease is lost") {
  MemoryStateBucket bucket;
  ManualClock clock(kStart);
  auto lease = StateLease::acquire(bucket, request_for("isrgen serve", clock), clock);
  REQUIRE(lease.ok());
  std::mutex mutex;
  std::condition_variable heard;
  std::vector<std::string> problems;
  auto wait_for = [&](auto done) {
    std::unique_lock lock(mutex);
    return heard.wait_for(lock, std::chrono::seconds(20), done);
  };
  bucket.failing_puts = 2;
  {
    LeaseRenewal renewal(*lease.value(), std::chrono::milliseconds(1), [&](const std::string& problem) {
      std::lock_guard lock(mutex);
      problems.push_back(problem);
      heard.notify_all();
    });
    // Two failed renewals, then renewed again: a lease that lapsed for one
    // 503 would have let another run in.
    REQUIRE(wait_for([&] { return problems.size() >= 2; }));
    const int puts_before = bucket.puts;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (bucket.puts == puts_before && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    CHECK(bucket.puts > puts_before);
    CHECK(lease.value()->held());
  }
  CHECK(problems.size() == 2);
  CHECK(problems[0].find("HTTP 503") != std::string::npos);
}

TEST_CASE("lease: of two runs taking over one stale lease, exactly one wins") {
  MemoryStateBucket bucket;
  ManualClock clock(kStart);
  auto dead = StateLease::acquire(bucket, request_for("isrgen build", clock), clock);
  REQUIRE(dead.ok());
  clock.advance_ms(kTtl + 1);
  // Both read the stale lease; the other's takeover lands first.
  std::unique_ptr<StateLease> other;
  bool raced = false;
  auto hook = [&](const std::string&, const PutCondition& condition) {
    if (condition.kind != PutCondition::kIfMatch) return;
    raced = true;
    auto taken = StateLease::acquire(bucket, request_for("isrgen sync", clock), clock);
    REQUIRE(taken.ok());
    other = std::move(taken.value());
  };
  bucket.before_put = [&](const std::string& key, const PutCondition& condition) {
    if (condition.kind == PutCondition::kIfMatch) hook(key, condition);
    else bucket.before_put = hook;  // the run's own If-None-Match comes first: wait for its If-Match
  };
  auto loser = StateLease::acquire(bucket, request_for("isrgen build", clock), clock);
  REQUIRE(raced);
  REQUIRE(other);
  REQUIRE_FALSE(loser.ok());
  CHECK(loser.error().message.find("in use by isrgen sync") != std::string::npos);
  CHECK(other->held());
}

TEST_CASE("lease: a lock.json isrgen cannot read is taken over, conditionally") {
  MemoryStateBucket bucket;
  ManualClock clock(kStart);
  bucket.objects["lock.json"] = "not json";
  std::string taken_from;
  LeaseRequest request = request_for("isrgen build", clock);
  request.on_takeover = [&](const std::string& holder) { taken_from = holder; };
  auto lease = StateLease::acquire(bucket, request, clock);
  REQUIRE(lease.ok());
  CHECK(taken_from == "a lock.json isrgen cannot read");
}
