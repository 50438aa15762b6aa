#include "serve/work_build.h"

#include <sys/resource.h>
#include <unistd.h>

#include <exception>
#include <utility>

namespace isrgen::serve {
namespace {

constexpr int kBuildNiceness = 10;

// Once per thread; where it is not allowed, builds just compete.
void lower_build_priority() {
  static thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kBuildNiceness);
}

// Why the jobs of a build with failing pages fail: how many, and the first.
std::string failure_of(const BuildReport& report) {
  if (report.failed.empty()) return "";
  return std::to_string(report.failed.size()) + " of the site's pages failed to render: " +
         report.failed.front().error;
}

// Why the jobs of a good build fail when its sync did not complete.
std::string sync_failure_of(const publish::SyncReport& report) {
  std::string reason = report.failed.empty()
                           ? (report.pages_held_back > 0 ? report.pages_held_back_reason() : report.held_back_reason)
                           : report.failed.front().first + ": " + report.failed.front().second;
  return "sync: the sync to " + report.target + " did not complete: " + reason;
}

WorkOutcome judge(const publish::RebuildOutcome& rebuilt) {
  WorkOutcome outcome;
  outcome.report = {{"build", rebuilt.build.to_json()}};
  outcome.error = failure_of(rebuilt.build);
  if (rebuilt.sync) {
    const Result<publish::SyncReport>& sync = *rebuilt.sync;
    if (!sync.ok()) outcome.error = "sync: " + sync.error().to_string();
    else if (sync.value().exit_code() != 0) outcome.error = sync_failure_of(sync.value());
    else outcome.report["sync"] = sync.value().to_json();
  }
  return outcome;
}

}  // namespace

BuildOptions build_options_for(const MergedWork& work) {
  BuildOptions options;
  const bool plain_build = work.tags.empty() && work.paths.empty();
  options.command = plain_build ? BuildCommand::kBuild : BuildCommand::kRevalidate;
  options.tags = work.tags;
  options.urls = work.paths;
  options.refresh_stale_sources = plain_build;
  return options;
}

WorkBuild run_work_build(const MergedWork& work, const WorkBuildSetup& setup) {
  lower_build_priority();
  publish::RebuildRequest request;
  request.build = build_options_for(work);
  request.build.jobs = setup.jobs;
  request.build.fetcher = setup.fetcher;
  request.build.env = setup.env;
  request.sync = setup.sync;
  request.sync_options.target = setup.sync_target;
  WorkBuild built;
  try {
    auto rebuilt = publish::rebuild(setup.paths, request, *setup.clock);
    if (rebuilt.ok()) {
      built.outcome = judge(rebuilt.value());
      built.rebuilt.emplace(std::move(rebuilt).value());
    } else {
      built.outcome.error = rebuilt.error().to_string();
      built.outcome.report = {{"error", built.outcome.error}};
    }
  } catch (const std::exception& error) {
    built.outcome.error = std::string("the build stopped: ") + error.what();
    built.outcome.report = {{"error", built.outcome.error}};
  }
  built.outcome.ok = built.outcome.error.empty();
  return built;
}

}  // namespace isrgen::serve
