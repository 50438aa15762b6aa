// The time seam: everything that asks "what time is it" goes through a Clock,
// so tests inject a ManualClock instead of sleeping.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace isrgen {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_unix_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t now_unix_ms() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_unix_ms) : now_(start_unix_ms) {}
  int64_t now_unix_ms() const override { return now_.load(); }
  void advance_ms(int64_t delta) { now_ += delta; }

 private:
  std::atomic<int64_t> now_;
};

// The clock of a CLI run: the system's, or a fixed time when ISRGEN_NOW holds
// unix seconds. Setting it reproduces what a build at that time decides
// (which sources are stale or expired), and lets tests of the binary move time
// forward without waiting.
std::unique_ptr<Clock> clock_from_environment();

// "2026-11-21T08:33:51Z" (UTC, second precision).
std::string format_iso8601_utc(int64_t unix_ms);

}  // namespace isrgen
