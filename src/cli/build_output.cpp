#include "cli/build_output.h"

#include <string>

#include "data/source_refresh.h"
#include "util/human_units.h"

namespace isrgen {
namespace {

void warn_degraded(Console& console, const BuildReport& report) {
  for (const DegradedEntry& entry : report.degraded) {
    std::string served;
    if (entry.serving == data::serving_name(data::Serving::kStale))
      served = "serving the snapshot fetched " + format_duration_ms(entry.snapshot_age_s * 1000) + " ago";
    else if (entry.serving == data::serving_name(data::Serving::kFallback))
      served = "serving its bundled fallback";
    else
      served = "nothing to serve: " + std::to_string(entry.pages.size()) +
               " pages show their empty state (--strict fails them instead)";
    console.warning("source '" + entry.source + "': " + entry.error + "; " + served);
  }
}

}  // namespace

void print_build_problems(Console& console, const BuildReport& report) {
  for (const auto& failure : report.failed) console.error(failure.error);
  for (const WarningEntry& entry : report.warnings) console.warning(entry.warning);
  warn_degraded(console, report);
}

}  // namespace isrgen
