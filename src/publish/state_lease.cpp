#include "publish/state_lease.h"

#include <unistd.h>

#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>

#include "util/hash.h"
#include "util/json_nesting.h"

namespace isrgen::publish {
namespace {

// How often a waiting run looks again.
constexpr int64_t kPollMs = 2000;
// Tries that end neither in the lease nor in a wait (the lock vanished or
// changed hands between two requests) before giving up on a bucket that
// keeps answering so.
constexpr int kMostRaces = 64;

std::string random_holder() {
  std::random_device device;
  uint64_t high = (uint64_t{device()} << 32) | device();
  uint64_t low = (uint64_t{device()} << 32) | device();
  return hex64(high) + hex64(low);
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown host";
  return name;
}

}  // namespace

std::string LeaseNote::to_json() const {
  nlohmann::ordered_json json{{"holder", holder},
                              {"host", host},
                              {"pid", pid},
                              {"command", command},
                              {"acquired", format_iso8601_utc(acquired_ms)},
                              {"acquired_ms", acquired_ms},
                              {"expires", format_iso8601_utc(expires_ms)},
                              {"expires_ms", expires_ms}};
  return json.dump() + "\n";
}

std::optional<LeaseNote> LeaseNote::parse(const std::string& text) {
  if (text.size() > 64 * 1024 || json_nesting_past(text, 1)) return std::nullopt;
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  try {
    LeaseNote note;
    note.holder = json.at("holder").get<std::string>();
    note.host = json.value("host", std::string());
    note.pid = json.value("pid", int64_t{0});
    note.command = json.value("command", std::string());
    note.acquired_ms = json.at("acquired_ms").get<int64_t>();
    note.expires_ms = json.at("expires_ms").get<int64_t>();
    return note;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::string LeaseNote::describe() const {
  return (command.empty() ? std::string("another isrgen run") : command) + " (pid " + std::to_string(pid) + " on " +
         host + ", since " + format_iso8601_utc(acquired_ms) + ", its lease runs until " +
         format_iso8601_utc(expires_ms) + ")";
}

Result<std::unique_ptr<StateLease>> StateLease::acquire(StateBucket& bucket, const LeaseRequest& request,
                                                        const Clock& clock) {
  LeaseNote note{random_holder(), host_name(), static_cast<int64_t>(::getpid()), request.command, 0, 0};
  const int64_t deadline = clock.now_unix_ms() + request.wait_ms;
  bool told = false;
  for (int races = 0; races < kMostRaces;) {
    const int64_t now = clock.now_unix_ms();
    note.acquired_ms = now;
    note.expires_ms = now + request.ttl_ms;
    auto created = bucket.put(kLeaseKey, note.to_json(), {PutCondition::kIfAbsent, ""});
    if (!created.ok()) return created.error();
    if (created.value())
      return std::unique_ptr<StateLease>(new StateLease(bucket, clock, note, *created.value(), request.ttl_ms));
    auto current = bucket.get(kLeaseKey);
    if (!current.ok()) return current.error();
    if (!current.value()) {  // let go between the two requests
      ++races;
      continue;
    }
    std::optional<LeaseNote> holder = LeaseNote::parse(current.value()->bytes);
    // A retried PUT of ours that had landed before its answer was lost.
    if (holder && holder->holder == note.holder)
      return std::unique_ptr<StateLease>(new StateLease(bucket, clock, note, current.value()->etag, request.ttl_ms));
    // Expired, or not a lease at all (nobody can tell when it would end): taken
    // over, on the condition that it is still the object just read.
    if (!holder || holder->expires_ms <= now) {
      auto taken = bucket.put(kLeaseKey, note.to_json(), {PutCondition::kIfMatch, current.value()->etag});
      if (!taken.ok()) return taken.error();
      if (taken.value()) {
        if (request.on_takeover) request.on_takeover(holder ? holder->describe() : "a lock.json isrgen cannot read");
        return std::unique_ptr<StateLease>(new StateLease(bucket, clock, note, *taken.value(), request.ttl_ms));
      }
      ++races;
      continue;
    }
    if (now >= deadline) {
      std::string waited = request.wait_ms > 0 ? "still in use after waiting " + std::to_string(request.wait_ms / 1000) + " s"
                                               : "in use";
      return make_error(bucket.describe() + kLeaseKey, 0,
                        "the site's remote state is " + waited + " by " + holder->describe() +
                            ": let it finish, or pass --state-wait SECONDS to wait for it (a lease left by a run "
                            "that died is taken over once it expires)");
    }
    if (!told && request.on_wait) request.on_wait(holder->describe());
    told = true;
    request.pause(std::min(kPollMs, deadline - now));
  }
  return make_error(bucket.describe() + kLeaseKey, 0,
                    "the state's lease kept changing hands while isrgen tried to take it: run again");
}

Status StateLease::renew() {
  std::lock_guard lock(mutex_);
  if (!held_) return make_error(bucket_.describe() + kLeaseKey, 0, "the state's lease is no longer this run's");
  LeaseNote renewed = note_;
  renewed.expires_ms = clock_.now_unix_ms() + ttl_ms_;
  auto stored = bucket_.put(kLeaseKey, renewed.to_json(), {PutCondition::kIfMatch, etag_});
  if (!stored.ok()) return stored.error();
  if (!stored.value()) {
    // A retried PUT of ours that had landed before its answer was lost finds
    // its own note there: still this run's lease.
    auto current = bucket_.get(kLeaseKey);
    if (current.ok() && current.value()) {
      std::optional<LeaseNote> holder = LeaseNote::parse(current.value()->bytes);
      if (holder && holder->holder == note_.holder) {
        note_ = *holder;
        etag_ = current.value()->etag;
        return Status::Ok();
      }
    }
    held_ = false;
    return make_error(bucket_.describe() + kLeaseKey, 0,
                      "the state's lease was taken over by another run (this one held it past its expiry): this run "
                      "stores nothing, and the other's state stands");
  }
  note_ = renewed;
  etag_ = *stored.value();
  return Status::Ok();
}

void StateLease::release() {
  std::lock_guard lock(mutex_);
  if (!held_) return;
  held_ = false;
  auto current = bucket_.get(kLeaseKey);
  if (current.ok() && current.value() && current.value()->etag == etag_) (void)bucket_.remove(kLeaseKey);
}

bool StateLease::held() const {
  std::lock_guard lock(mutex_);
  return held_;
}

LeaseRenewal::LeaseRenewal(StateLease& lease, std::chrono::milliseconds every,
                           std::function<void(const std::string&)> on_problem)
    : thread_([this, &lease, every, on_problem = std::move(on_problem)] {
        std::unique_lock lock(mutex_);
        while (!stop_asked_.wait_for(lock, every, [this] { return stop_; })) {
          Status renewed = lease.renew();
          if (renewed.ok()) continue;
          if (on_problem) on_problem(renewed.error().to_string());
          if (!lease.held()) return;  // taken over: the run learns so again when it stores
        }
      }) {}

LeaseRenewal::~LeaseRenewal() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_asked_.notify_all();
  thread_.join();
}

}  // namespace isrgen::publish
