#include "util/clock.h"

#include <chrono>
#include <cstdlib>
#include <ctime>

namespace isrgen {

int64_t SystemClock::now_unix_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::unique_ptr<Clock> clock_from_environment() {
  const char* fixed = std::getenv("ISRGEN_NOW");
  if (fixed && *fixed) {
    char* end = nullptr;
    long long seconds = std::strtoll(fixed, &end, 10);
    if (end && *end == '\0' && seconds > 0) return std::make_unique<ManualClock>(seconds * 1000);
  }
  return std::make_unique<SystemClock>();
}

std::string format_iso8601_utc(int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace isrgen
