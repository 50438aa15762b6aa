#include "util/human_units.h"

#include <cstdio>

namespace isrgen {
namespace {

// One decimal, and none when it would be ".0": "16", "1.5".
std::string one_decimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  std::string out = text;
  if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
  return out;
}

}  // namespace

std::string format_bytes(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return one_decimal(value) + ' ' + kUnits[unit];
}

std::string format_duration_ms(int64_t millis) {
  if (millis < 1000) return std::to_string(millis) + " ms";
  // Whole larger units from twice their size: "90 s", "3 min", "5 h", "2 days".
  constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;
  if (millis >= 2 * kDay) return std::to_string(millis / kDay) + " days";
  if (millis >= 2 * kHour) return std::to_string(millis / kHour) + " h";
  if (millis >= 2 * kMinute) return std::to_string(millis / kMinute) + " min";
  return one_decimal(static_cast<double>(millis) / 1000) + " s";
}

}  // namespace isrgen
