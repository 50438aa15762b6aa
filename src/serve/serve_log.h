// The lines `isrgen serve` prints for people, from server and worker
// threads: progress (one per build and per finished batch of jobs) and
// problems (failed pages, builds, syncs and batches, refused webhooks, a
// failing job store), so --quiet can keep the problems alone.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "engine/build_report.h"
#include "serve/job_store.h"
#include "serve/job_worker.h"

namespace isrgen::serve {

enum class LogLevel { kProgress, kProblem };

// Where the lines go; called from any thread. Empty: nowhere.
using LogSink = std::function<void(LogLevel, std::string_view)>;

class ServeLog {
 public:
  explicit ServeLog(LogSink sink) : sink_(std::move(sink)) {}

  void progress(std::string_view line) const;
  void problem(std::string_view line) const;

  // "built: 3 rendered, 0 failed in 41 ms (1 tags, 2 paths)", then each cause
  // of failed pages and each warning once, as a problem (engine/problem_groups.h), and the jobs' error when no page says it
  // (a sync that failed). Without a report (the build could not run): "build failed: <why>".
  void build(const MergedWork& work, const BuildReport* report, const WorkOutcome& outcome) const;

  // "3 jobs done: <id>, <id>, <id>", so an operator (or a test) can follow a
  // job from its 202 to its end; a burst is cut short after ten ids. Failed
  // jobs are a problem.
  void jobs(const std::vector<Job>& finished, JobStatus status) const;

 private:
  LogSink sink_;
};

}  // namespace isrgen::serve
