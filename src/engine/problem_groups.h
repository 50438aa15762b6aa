// A build's failures and warnings grouped by their cause, so that one broken
// shared input (a partial, a layout, a component, a data file) reads as one
// line with the number of pages it holds back instead of one line per page.
// What `build`, `revalidate`, `watch` and `serve` print, and the report's
// `errors` list, come from here.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/build_report.h"
#include "util/error.h"

namespace isrgen {

struct ProblemGroup {
  std::string text;  // "file:line:col: message", as each of its pages reports it
  Error cause;       // the same, field by field (failures only; empty for warnings)
  std::vector<std::pair<std::string, std::string>> pages;  // (page, lang), in report order
  // The cause is another file than the one page's own: a template, a data file, a source.
  bool shared = false;
};

// The failures of `report`, one group per distinct cause (file, line, column
// and message), in the order of their first page.
std::vector<ProblemGroup> group_failures(const BuildReport& report);

// The warnings of `report`, one group per distinct text, in the order of their first page.
std::vector<ProblemGroup> group_warnings(const BuildReport& report);

// How a group reads for people: its text, then " (32 pages)" when it holds
// back more than one page or comes from a shared input; with `verbose`, one
// indented "page (lang)" line per page after it.
std::vector<std::string> problem_lines(const ProblemGroup& group, bool verbose);

// The report's `errors` list: each failure group with its file, line, column,
// message, the number of pages and the pages.
nlohmann::ordered_json failure_groups_json(const BuildReport& report);

}  // namespace isrgen
