#include "serve/serve_metrics.h"

#include <string>

#include <catch2/catch.hpp>

using namespace isrgen;
using namespace isrgen::serve;

namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("serve metrics: builds, their failures, pages and failed fetches", "[metrics]") {
  ServeMetrics metrics([] { return 7.0; });
  BuildReport report;
  report.rendered.resize(3);
  FetchEntry failed, updated;
  failed.source = "jobs";
  failed.outcome = data::FetchResult::kFailed;
  updated.source = "posts";
  updated.outcome = data::FetchResult::kUpdated;
  report.fetched = {failed, updated};
  metrics.count_build(WorkOutcome{true, nullptr, ""}, &report);
  metrics.count_build(WorkOutcome{false, nullptr, "content/site.toml:1: broken"}, nullptr);
  std::string text = metrics.render();
  CHECK(has_line(text, "isrgen_builds_total 2"));
  CHECK(has_line(text, "isrgen_build_failures_total 1"));
  CHECK(has_line(text, "isrgen_pages_rendered_total 3"));
  CHECK(has_line(text, "isrgen_source_fetch_failures_total 1"));
  CHECK(has_line(text, "isrgen_jobs_queued 7"));
  // The families render in the order the README lists them.
  CHECK(text.find("isrgen_builds_total") < text.find("isrgen_jobs_queued"));
  CHECK(text.find("isrgen_jobs_queued") < text.find("isrgen_job_latency_seconds"));
  CHECK(text.find("isrgen_job_latency_seconds") < text.find("isrgen_webhook_requests_total"));
}

TEST_CASE("serve metrics: the origin's hit ratio counts stale answers as hits", "[metrics]") {
  ServeMetrics metrics([] { return 0.0; });
  CHECK(has_line(metrics.render(), "isrgen_origin_cache_hit_ratio 0"));
  metrics.count_hit();
  metrics.count_stale();
  metrics.count_stale();
  metrics.count_miss();
  std::string text = metrics.render();
  CHECK(has_line(text, "isrgen_origin_requests_total{cache=\"stale\"} 2"));
  CHECK(has_line(text, "isrgen_origin_cache_hit_ratio 0.75"));
}

TEST_CASE("serve metrics: every webhook status has a series from the start", "[metrics]") {
  ServeMetrics metrics([] { return 0.0; });
  std::string text = metrics.render();
  for (int status : {202, 400, 401, 405, 413, 429, 500})
    CHECK(has_line(text, "isrgen_webhook_requests_total{code=\"" + std::to_string(status) + "\"} 0"));
  metrics.count_webhook_answer(431);
  CHECK(has_line(metrics.render(), "isrgen_webhook_requests_total{code=\"431\"} 1"));
}
