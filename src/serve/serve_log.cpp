#include "serve/serve_log.h"

#include <string>

#include "engine/problem_groups.h"

namespace isrgen::serve {

void ServeLog::progress(std::string_view line) const {
  if (sink_) sink_(LogLevel::kProgress, line);
}

void ServeLog::problem(std::string_view line) const {
  if (sink_) sink_(LogLevel::kProblem, line);
}

void ServeLog::build(const MergedWork& work, const BuildReport* report, const WorkOutcome& outcome) const {
  if (!report) return problem("build failed: " + outcome.error);
  std::string line = "built: " + std::to_string(report->rendered.size()) + " rendered, " +
                     std::to_string(report->failed.size()) + " failed in " + std::to_string(report->duration_ms) +
                     " ms";
  if (!work.tags.empty()) line += " (" + std::to_string(work.tags.size()) + " tags";
  if (!work.paths.empty())
    line += std::string(work.tags.empty() ? " (" : ", ") + std::to_string(work.paths.size()) + " paths";
  if (!work.tags.empty() || !work.paths.empty()) line += ")";
  progress(line);
  for (const ProblemGroup& group : group_failures(*report)) problem(problem_lines(group, false).front());
  for (const ProblemGroup& group : group_warnings(*report)) problem("warning: " + problem_lines(group, false).front());
  if (!outcome.ok && report->failed.empty()) problem(outcome.error);
}

void ServeLog::jobs(const std::vector<Job>& finished, JobStatus status) const {
  constexpr size_t kIdsShown = 10;
  std::string line = std::to_string(finished.size()) + (finished.size() == 1 ? " job " : " jobs ") +
                     std::string(job_status_name(status)) + ":";
  for (size_t i = 0; i < finished.size() && i < kIdsShown; ++i) line += (i ? ", " : " ") + finished[i].id;
  if (finished.size() > kIdsShown) line += " and " + std::to_string(finished.size() - kIdsShown) + " more";
  status == JobStatus::kFailed ? problem(line) : progress(line);
}

}  // namespace isrgen::serve
