// The lease on a site's remote state (`--state URL`): one run at a time may
// read and write it, whichever machine it runs on. The lease is the object
// lock.json beside the state, {holder, host, pid, command, acquired, expires},
// created only where none is (a conditional PUT, `If-None-Match: *`). A run
// that finds it held waits (up to --state-wait) or stops with the holder's
// name. A lease past its expiry belonged to a run that died: it is taken over
// with a PUT conditional on the ETag read (`If-Match`), so of two runs taking
// it over at once exactly one wins. The holder renews it while it works, and
// a holder whose lease was taken over (it stalled past the expiry) learns so
// at its next renewal and must store nothing.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "publish/state_bucket.h"
#include "util/clock.h"
#include "util/error.h"

namespace isrgen::publish {

// What lock.json says.
struct LeaseNote {
  std::string holder;   // random, one per run
  std::string host;
  int64_t pid = 0;
  std::string command;  // "isrgen build"
  int64_t acquired_ms = 0;
  int64_t expires_ms = 0;

  std::string to_json() const;
  static std::optional<LeaseNote> parse(const std::string& json);  // nullopt: not a note
  std::string describe() const;  // "isrgen build (pid 12 on runner-3, since ..., lease until ...)"
};

struct LeaseRequest {
  std::string command;
  int64_t ttl_ms = 5 * 60 * 1000;  // renewed every third of it
  int64_t wait_ms = 0;             // how long to wait for a holder
  // Waits `ms` between two tries: a sleep in production, a clock moved forward in tests.
  std::function<void(int64_t ms)> pause;
  std::function<void(const std::string& holder)> on_wait;    // told once, when the wait begins
  std::function<void(const std::string& holder)> on_takeover;  // a stale lease was taken over
};

constexpr const char* kLeaseKey = "lock.json";

class StateLease {
 public:
  // Takes the lease, or an error naming the holder and the way out.
  static Result<std::unique_ptr<StateLease>> acquire(StateBucket& bucket, const LeaseRequest& request,
                                                     const Clock& clock);
  ~StateLease() = default;

  // Pushes the expiry a ttl ahead. An error when the lease was taken over
  // (or removed) since: from then on held() is false.
  Status renew();
  // Removes lock.json when it is still this run's. Best effort: a lease left
  // behind expires.
  void release();
  bool held() const;
  const LeaseNote& note() const { return note_; }

 private:
  StateLease(StateBucket& bucket, const Clock& clock, LeaseNote note, std::string etag, int64_t ttl_ms)
      : bucket_(bucket), clock_(clock), note_(std::move(note)), etag_(std::move(etag)), ttl_ms_(ttl_ms) {}

  StateBucket& bucket_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  LeaseNote note_;
  std::string etag_;
  int64_t ttl_ms_;
  bool held_ = true;
};

// Renews a lease every `every` (a third of its ttl) on a thread of its own,
// until it goes: fetching, a build, watch or serve, and storing may each run
// longer than one ttl. A renewal that fails for the network or the bucket is
// tried again at the next tick; `on_problem` hears of each failure, and of the
// lease's loss to another run, after which renewing stops. Destroy it before
// releasing the lease.
class LeaseRenewal {
 public:
  LeaseRenewal(StateLease& lease, std::chrono::milliseconds every,
               std::function<void(const std::string&)> on_problem = {});
  ~LeaseRenewal();
  LeaseRenewal(const LeaseRenewal&) = delete;
  LeaseRenewal& operator=(const LeaseRenewal&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable stop_asked_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace isrgen::publish
