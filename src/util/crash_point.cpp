#include "util/crash_point.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string_view>

namespace isrgen {
namespace {

struct Target {
  int step = -1;  // a CrashStep, or -1: none
  long at = 0;
};

Target target_from_environment() {
  const char* value = std::getenv("ISRGEN_FAULT_KILL_AT");
  if (!value) return {};
  std::string_view text(value);
  size_t colon = text.find(':');
  std::string_view name = text.substr(0, colon);
  long at = colon == std::string_view::npos ? 1 : std::atol(value + colon + 1);
  constexpr std::string_view kNames[] = {"write", "delete", "commit", "committed"};
  for (int step = 0; step < 4; ++step)
    if (name == kNames[step]) return {step, at};
  return {};
}

}  // namespace

void crash_point(CrashStep step) {
  static const Target target = target_from_environment();
  if (target.step != static_cast<int>(step) || target.at <= 0) return;
  static std::atomic<long> seen{0};
  if (++seen == target.at) ::kill(::getpid(), SIGKILL);
}

}  // namespace isrgen
