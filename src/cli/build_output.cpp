#include "cli/build_output.h"

#include <string>

#include "data/source_refresh.h"
#include "util/human_units.h"

namespace isrgen {
namespace {

std::string what_is_served(const DegradedEntry& entry) {
  switch (entry.serving) {
    case data::Serving::kStale:
      return "serving the snapshot fetched " + format_duration_ms(entry.snapshot_age_s * 1000) + " ago";
    case data::Serving::kFallback: return "serving its bundled fallback";
    case data::Serving::kFresh:  // never degraded
    case data::Serving::kNothing: break;
  }
  return "nothing to serve: " + std::to_string(entry.pages.size()) +
         " pages show their empty state (--strict fails them instead)";
}

void warn_degraded(Console& console, const BuildReport& report) {
  for (const DegradedEntry& entry : report.degraded)
    console.warning("source '" + entry.source + "': " + entry.error + "; " + what_is_served(entry));
}

}  // namespace

void print_build_problems(Console& console, const BuildReport& report) {
  for (const auto& failure : report.failed) console.error(failure.error);
  for (const WarningEntry& entry : report.warnings) console.warning(entry.warning);
  warn_degraded(console, report);
}

}  // namespace isrgen
