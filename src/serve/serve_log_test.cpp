#include "serve/serve_log.h"

#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

using namespace isrgen;
using namespace isrgen::serve;

namespace {

struct Captured {
  std::vector<std::pair<LogLevel, std::string>> lines;
  ServeLog log{[this](LogLevel level, std::string_view line) { lines.emplace_back(level, std::string(line)); }};
};

Job job_with_id(int number) {
  Job job;
  job.id = "job" + std::to_string(number);
  return job;
}

}  // namespace

TEST_CASE("serve log: a build's line says what it rendered for which work, then its problems") {
  Captured captured;
  BuildReport report;
  report.rendered.resize(3);
  const Error layout = make_error("content/pages/acme/bad.md", 3, "unknown layout 'nope'");
  report.failed.push_back({"acme/bad", "en", layout.to_string(), layout});
  report.warnings.push_back({"acme/x", "en", "templates/a.mustache:1:2: unsafe URL"});
  report.duration_ms = 41;
  WorkOutcome outcome;
  outcome.error = "1 of the site's pages failed to render: ...";
  captured.log.build(MergedWork{{"models:1"}, {"/acme/", "/nova/"}}, &report, outcome);
  REQUIRE(captured.lines.size() == 3);
  CHECK(captured.lines[0] == std::pair(LogLevel::kProgress, std::string("built: 3 rendered, 1 failed in 41 ms (1 tags, 2 paths)")));
  CHECK(captured.lines[1] == std::pair(LogLevel::kProblem, std::string("content/pages/acme/bad.md:3: unknown layout 'nope'")));
  CHECK(captured.lines[2] == std::pair(LogLevel::kProblem, std::string("warning: templates/a.mustache:1:2: unsafe URL")));

  SECTION("a shared input that fails many pages is one problem with their number") {
    Captured grouped;
    BuildReport many;
    const Error partial = make_error("templates/partials/header.mustache", 1, "unclosed section 'oops'", 1);
    for (const char* page : {"acme/a", "acme/b", "nova/c"}) many.failed.push_back({page, "en", partial.to_string(), partial});
    grouped.log.build(MergedWork{}, &many, outcome);
    REQUIRE(grouped.lines.size() == 2);
    CHECK(grouped.lines[1] == std::pair(LogLevel::kProblem, std::string("templates/partials/header.mustache:1:1: "
                                                                          "unclosed section 'oops' (3 pages)")));
  }
  SECTION("a sync that failed after a good build is a problem of its own") {
    Captured sync;
    BuildReport good;
    WorkOutcome failed_sync{false, nullptr, "sync: the sync to /srv/www did not complete: x: denied"};
    sync.log.build(MergedWork{{}, {"/nova/"}}, &good, failed_sync);
    REQUIRE(sync.lines.size() == 2);
    CHECK(sync.lines[0].second == "built: 0 rendered, 0 failed in 0 ms (1 paths)");
    CHECK(sync.lines[1] == std::pair(LogLevel::kProblem, failed_sync.error));
  }
  SECTION("a build that could not run says why") {
    Captured broken;
    broken.log.build(MergedWork{}, nullptr, WorkOutcome{false, nullptr, "content/site.toml:2: bad"});
    REQUIRE(broken.lines.size() == 1);
    CHECK(broken.lines[0] == std::pair(LogLevel::kProblem, std::string("build failed: content/site.toml:2: bad")));
  }
}

TEST_CASE("serve log: a batch's line names its jobs, cut short after ten") {
  Captured captured;
  captured.log.jobs({job_with_id(1)}, JobStatus::kDone);
  std::vector<Job> burst;
  for (int i = 0; i < 12; ++i) burst.push_back(job_with_id(i));
  captured.log.jobs(burst, JobStatus::kFailed);
  REQUIRE(captured.lines.size() == 2);
  CHECK(captured.lines[0] == std::pair(LogLevel::kProgress, std::string("1 job done: job1")));
  CHECK(captured.lines[1].first == LogLevel::kProblem);
  CHECK(captured.lines[1].second ==
        "12 jobs failed: job0, job1, job2, job3, job4, job5, job6, job7, job8, job9 and 2 more");
}
