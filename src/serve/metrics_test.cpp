#include "serve/metrics.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

using namespace isrgen::serve;

TEST_CASE("metrics: counters of one name form one family, HELP and TYPE once", "[metrics]") {
  MetricsRegistry metrics;
  Counter& builds = metrics.counter("isrgen_builds_total", "Builds run by the job worker.");
  Counter& hit = metrics.counter("isrgen_origin_requests_total", "Origin requests.", {{"cache", "hit"}});
  Counter& miss = metrics.counter("isrgen_origin_requests_total", "Origin requests.", {{"cache", "miss"}});
  builds.increment();
  hit.increment(41);
  hit.increment();
  CHECK(hit.value() == 42);
  CHECK(miss.value() == 0);
  CHECK(metrics.render() ==
        "# HELP isrgen_builds_total Builds run by the job worker.\n"
        "# TYPE isrgen_builds_total counter\n"
        "isrgen_builds_total 1\n"
        "# HELP isrgen_origin_requests_total Origin requests.\n"
        "# TYPE isrgen_origin_requests_total counter\n"
        "isrgen_origin_requests_total{cache=\"hit\"} 42\n"
        "isrgen_origin_requests_total{cache=\"miss\"} 0\n");
  CHECK(MetricsRegistry::kContentType == "text/plain; version=0.0.4; charset=utf-8");
}

TEST_CASE("metrics: registering a series again returns the one already there", "[metrics]") {
  MetricsRegistry metrics;
  Counter& first = metrics.counter("requests_total", "First help.", {{"code", "200"}});
  Counter& again = metrics.counter("requests_total", "Other help.", {{"code", "200"}});
  CHECK(&first == &again);
  again.increment(3);
  CHECK(metrics.render() ==
        "# HELP requests_total First help.\n"
        "# TYPE requests_total counter\n"
        "requests_total{code=\"200\"} 3\n");
}

TEST_CASE("metrics: histogram buckets are cumulative and end with +Inf", "[metrics]") {
  MetricsRegistry metrics;
  Histogram& latency = metrics.histogram("job_latency_seconds", "Job latency.", {1, 0.25, 2.5});
  latency.observe(0.25);  // le is inclusive
  latency.observe(0.5);
  latency.observe(2);
  latency.observe(100);
  CHECK(metrics.render() ==
        "# HELP job_latency_seconds Job latency.\n"
        "# TYPE job_latency_seconds histogram\n"
        "job_latency_seconds_bucket{le=\"0.25\"} 1\n"
        "job_latency_seconds_bucket{le=\"1\"} 2\n"
        "job_latency_seconds_bucket{le=\"2.5\"} 3\n"
        "job_latency_seconds_bucket{le=\"+Inf\"} 4\n"
        "job_latency_seconds_sum 102.75\n"
        "job_latency_seconds_count 4\n");
}

TEST_CASE("metrics: a labelled histogram puts le after its labels", "[metrics]") {
  MetricsRegistry metrics;
  Histogram& h = metrics.histogram("render_seconds", "Render time.", {0.005}, {{"tenant", "acme"}});
  h.observe(0.001);
  CHECK(metrics.render() ==
        "# HELP render_seconds Render time.\n"
        "# TYPE render_seconds histogram\n"
        "render_seconds_bucket{tenant=\"acme\",le=\"0.005\"} 1\n"
        "render_seconds_bucket{tenant=\"acme\",le=\"+Inf\"} 1\n"
        "render_seconds_sum{tenant=\"acme\"} 0.001\n"
        "render_seconds_count{tenant=\"acme\"} 1\n");
}

TEST_CASE("metrics: the job latency buckets span milliseconds to minutes", "[metrics]") {
  REQUIRE(kLatencyBucketsSeconds.size() == 15);
  CHECK(kLatencyBucketsSeconds.front() == 0.005);
  CHECK(kLatencyBucketsSeconds.back() == 300);
  CHECK(std::is_sorted(kLatencyBucketsSeconds.begin(), kLatencyBucketsSeconds.end()));
  MetricsRegistry metrics;
  metrics.histogram("isrgen_job_latency_seconds", "Latency.", kLatencyBucketsSeconds).observe(45);
  std::string text = metrics.render();
  CHECK(text.find("isrgen_job_latency_seconds_bucket{le=\"30\"} 0\n") != std::string::npos);
  CHECK(text.find("isrgen_job_latency_seconds_bucket{le=\"60\"} 1\n") != std::string::npos);
  CHECK(text.find("isrgen_job_latency_seconds_bucket{le=\"300\"} 1\n") != std::string::npos);
}

TEST_CASE("metrics: gauges are read at render, a throwing one reads NaN", "[metrics]") {
  MetricsRegistry metrics;
  double queued = 3;
  metrics.gauge_callback("isrgen_jobs_queued", "Jobs waiting.", [&] { return queued; });
  metrics.gauge_callback("broken", "Throws.", []() -> double { throw std::runtime_error("no"); });
  queued = 7.5;
  CHECK(metrics.render() ==
        "# HELP isrgen_jobs_queued Jobs waiting.\n"
        "# TYPE isrgen_jobs_queued gauge\n"
        "isrgen_jobs_queued 7.5\n"
        "# HELP broken Throws.\n"
        "# TYPE broken gauge\n"
        "broken NaN\n");
}

TEST_CASE("metrics: HELP and label values are escaped", "[metrics]") {
  MetricsRegistry metrics;
  metrics.counter("odd_total", "A \\ backslash\nand \"quotes\".", {{"path", "C:\\x \"y\"\nz"}}).increment();
  CHECK(metrics.render() ==
        "# HELP odd_total A \\\\ backslash\\nand \"quotes\".\n"
        "# TYPE odd_total counter\n"
        "odd_total{path=\"C:\\\\x \\\"y\\\"\\nz\"} 1\n");
}

TEST_CASE("metrics: a name taken by another kind gives a metric that is not exposed", "[metrics]") {
  MetricsRegistry metrics;
  metrics.counter("things", "Counted.").increment(2);
  Histogram& h = metrics.histogram("things", "Measured.", {1});
  h.observe(0.5);  // works, but cannot share the name's TYPE
  CHECK(h.snapshot().count == 1);
  CHECK(metrics.render() ==
        "# HELP things Counted.\n"
        "# TYPE things counter\n"
        "things 2\n");
}

TEST_CASE("metrics: increments from many threads are all counted", "[metrics]") {
  MetricsRegistry metrics;
  Counter& counter = metrics.counter("hits_total", "Hits.");
  Histogram& histogram = metrics.histogram("sizes", "Sizes.", {10});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.increment();
        histogram.observe(i % 2 == 0 ? 1.0 : 20.0);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(counter.value() == 40000);
  Histogram::Snapshot snapshot = histogram.snapshot();
  CHECK(snapshot.cumulative == std::vector<uint64_t>{20000, 40000});
  CHECK(snapshot.count == 40000);
  CHECK(snapshot.sum == 20000 * 1.0 + 20000 * 20.0);  // exact: every partial sum is an integer
}
