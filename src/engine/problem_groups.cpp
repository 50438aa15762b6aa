#include "engine/problem_groups.h"

#include <map>
#include <string_view>

namespace isrgen {
namespace {

// Groups `entries` by the text `text_of` gives, in the order texts first
// appear; `started` sees each group with the entry that started it.
template <class Entry, class TextOf, class Started>
std::vector<ProblemGroup> group_by_text(const std::vector<Entry>& entries, TextOf text_of, Started started) {
  std::vector<ProblemGroup> groups;
  std::map<std::string_view, size_t> index_of;
  for (const Entry& entry : entries) {
    const std::string& text = text_of(entry);
    auto [found, added] = index_of.try_emplace(text, groups.size());
    if (added) {
      groups.push_back(ProblemGroup{text, {}, {}, false});
      started(groups.back(), entry);
    }
    groups[found->second].pages.emplace_back(entry.page, entry.lang);
  }
  return groups;
}

// Whether `file` is the page's own: one of its page files (acme/summer:
// content/pages/acme/summer.md, summer.de.md), or, for a static file that
// failed, the file itself.
bool is_own_file(const std::string& file, const std::string& page) {
  return file == page || file.starts_with("content/pages/" + page + ".");
}

}  // namespace

std::vector<ProblemGroup> group_failures(const BuildReport& report) {
  return group_by_text(
      report.failed, [](const FailedEntry& entry) -> const std::string& { return entry.error; },
      [](ProblemGroup& group, const FailedEntry& entry) {
        group.cause = entry.cause;
        group.shared = !entry.cause.message.empty() && !is_own_file(entry.cause.file, entry.page);
        if (entry.cause.message.empty()) group.cause.message = entry.error;  // a failure recorded as text alone
      });
}

std::vector<ProblemGroup> group_warnings(const BuildReport& report) {
  return group_by_text(
      report.warnings, [](const WarningEntry& entry) -> const std::string& { return entry.warning; },
      [](ProblemGroup&, const WarningEntry&) {});
}

std::vector<std::string> problem_lines(const ProblemGroup& group, bool verbose) {
  std::vector<std::string> lines{group.text};
  size_t count = group.pages.size();
  if (count > 1 || group.shared) lines[0] += " (" + std::to_string(count) + (count == 1 ? " page)" : " pages)");
  if (verbose && (count > 1 || group.shared))
    for (const auto& [page, lang] : group.pages) lines.push_back("  " + page + (lang.empty() ? "" : " (" + lang + ")"));
  return lines;
}

nlohmann::ordered_json failure_groups_json(const BuildReport& report) {
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  for (const ProblemGroup& group : group_failures(report)) {
    nlohmann::ordered_json pages = nlohmann::ordered_json::array();
    for (const auto& [page, lang] : group.pages) pages.push_back({{"page", page}, {"lang", lang}});
    errors.push_back({{"error", group.text},
                      {"file", group.cause.file},
                      {"line", group.cause.line},
                      {"column", group.cause.column},
                      {"message", group.cause.message},
                      {"pages", group.pages.size()},
                      {"page_list", std::move(pages)}});
  }
  return errors;
}

}  // namespace isrgen
