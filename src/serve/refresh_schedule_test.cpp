#include "serve/refresh_schedule.h"

#include <catch2/catch.hpp>

#include "engine/page_staleness.h"

using namespace isrgen;
using namespace isrgen::serve;

namespace {

struct Scheduled {
  ManualClock clock{1'795'000'000'000};
  std::vector<JobRequest> queued;
  bool accepting = true;
  RefreshSchedule schedule{clock, [this](JobRequest request) {
                             if (accepting) queued.push_back(std::move(request));
                             return accepting;
                           }};

  // The build of the jobs queued so far, with `failed` sources' refetch failing.
  void build_queued(const std::vector<std::string>& failed = {}) {
    MergedWork work = merge_work(jobs());
    BuildReport report;
    for (const std::string& source : failed) {
      FetchEntry fetch;
      fetch.source = source;
      fetch.outcome = data::FetchResult::kFailed;
      report.fetched.push_back(fetch);
    }
    schedule.settle(work, &report);
  }
  std::vector<Job> jobs() const {
    std::vector<Job> jobs;
    for (const JobRequest& request : queued) {
      Job job;
      job.request = request;
      jobs.push_back(job);
    }
    return jobs;
  }
};

}  // namespace

TEST_CASE("refresh schedule: one job per stale source however often it is asked for") {
  Scheduled scheduled;
  scheduled.schedule.schedule({"jobs", "posts"});
  scheduled.schedule.schedule({"jobs"});
  scheduled.schedule.schedule({"posts", "weather"});
  REQUIRE(scheduled.queued.size() == 2);
  CHECK(scheduled.queued[0].tags == revalidation_tags({"jobs", "posts"}));
  CHECK(scheduled.queued[1].tags == revalidation_tags({"weather"}));

  SECTION("a refreshed source may be refreshed again at once") {
    scheduled.build_queued();
    scheduled.schedule.schedule({"jobs"});
    CHECK(scheduled.queued.size() == 3);
  }
  SECTION("a failed refetch waits kRefreshRetryMs, the others do not") {
    scheduled.build_queued({"jobs"});
    scheduled.schedule.schedule({"jobs", "posts"});
    REQUIRE(scheduled.queued.size() == 3);
    CHECK(scheduled.queued[2].tags == revalidation_tags({"posts"}));
    scheduled.clock.advance_ms(kRefreshRetryMs - 1);
    scheduled.schedule.schedule({"jobs"});
    CHECK(scheduled.queued.size() == 3);
    scheduled.clock.advance_ms(1);
    scheduled.schedule.schedule({"jobs"});
    CHECK(scheduled.queued.size() == 4);
  }
  SECTION("a build that could not run holds back every source it was to refresh") {
    MergedWork work = merge_work(scheduled.jobs());
    scheduled.schedule.settle(work, nullptr);
    scheduled.schedule.schedule({"jobs", "weather"});
    CHECK(scheduled.queued.size() == 2);
  }
}

TEST_CASE("refresh schedule: a refresh the queue refused is asked for again by the next request") {
  Scheduled scheduled;
  scheduled.accepting = false;
  scheduled.schedule.schedule({"jobs"});
  CHECK(scheduled.queued.empty());
  scheduled.accepting = true;
  scheduled.schedule.schedule({"jobs"});
  REQUIRE(scheduled.queued.size() == 1);
  CHECK(scheduled.queued[0].tags == revalidation_tags({"jobs"}));
}
