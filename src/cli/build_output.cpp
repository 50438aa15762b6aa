#include "cli/build_output.h"

#include <string>

#include "data/source_refresh.h"
#include "engine/problem_groups.h"
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

void print_build_problems(Console& console, const BuildReport& report, bool verbose) {
  for (const ProblemGroup& group : group_failures(report))
    for (const std::string& line : problem_lines(group, verbose)) console.error(line);
  for (const ProblemGroup& group : group_warnings(report)) {
    std::vector<std::string> lines = problem_lines(group, verbose);
    console.warning(lines.front());
    for (size_t i = 1; i < lines.size(); ++i) console.note(lines[i]);
  }
  warn_degraded(console, report);
}

void print_build_files(Console& console, const BuildReport& report) {
  for (const RenderedEntry& entry : report.rendered) {
    std::string reasons;
    for (const std::string& reason : reason_texts(entry.reasons)) reasons += (reasons.empty() ? "" : ", ") + reason;
    console.note("rendered " + entry.output + " (" + reasons + ")" + (entry.changed ? "" : ", same bytes: not rewritten"));
  }
  for (const std::string& output : report.deleted) console.note("deleted " + output);
}

}  // namespace isrgen
