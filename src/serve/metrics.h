// The numbers `isrgen serve` exposes on /metrics, in the Prometheus text
// exposition format 0.0.4, so any Prometheus-compatible scraper reads them
// without an exporter in between.
//
// Metrics are registered once, at start, and updated from many threads:
// Counter::increment and Histogram::observe are lock-free (relaxed atomics;
// a scrape may see one observation's bucket before its sum, which Prometheus
// tolerates). The references the registry hands out stay valid for its life.
//
// A family is one metric name with its HELP and TYPE; registering the same
// name again with other labels adds a series to that family, with the same
// labels returns the series already there (its HELP is kept). A name already
// taken by another kind of metric gets a working metric that is not exposed,
// since one name cannot have two types.
//
// render() writes the families in registration order and, inside each, the
// series in registration order; HELP text and label values are escaped as the
// format requires; gauge callbacks are evaluated then (a callback that throws
// reads as NaN).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace isrgen::serve {

// Upper bounds of the job latency histogram, in seconds: a build of one page
// takes about 10 ms, a full rebuild of a large site minutes.
inline const std::vector<double> kLatencyBucketsSeconds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                        2.5,   5,    10,    30,   60,  120,  300};

// Label name and value pairs, in the order they are rendered.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void increment(uint64_t amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Histogram {
 public:
  // `upper_bounds` are sorted and repeats dropped; +Inf is implicit.
  explicit Histogram(std::vector<double> upper_bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void observe(double value);

  // A consistent-enough copy for rendering: cumulative counts per bound (the
  // last one is +Inf and equals count), and the sum.
  struct Snapshot {
    std::vector<uint64_t> cumulative;
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& upper_bounds() const { return upper_bounds_; }

 private:
  std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // one per bound, then +Inf; not cumulative
  std::atomic<double> sum_{0};
};

class MetricsRegistry {
 public:
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  Counter& counter(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, const std::vector<double>& upper_bounds,
                       const MetricLabels& labels = {});
  // `read` is called on every render, on the rendering thread.
  void gauge_callback(std::string_view name, std::string_view help, std::function<double()> read,
                      const MetricLabels& labels = {});

  std::string render() const;

 private:
  enum class Kind : int;
  struct Family;
  struct Series;
  Series& series(std::string_view name, std::string_view help, Kind kind, const MetricLabels& labels);

  mutable std::mutex mutex_;  // registration and render only, never increments
  std::vector<std::unique_ptr<Family>> families_;
  std::vector<std::unique_ptr<Series>> unexposed_;  // see "another kind" above
};

}  // namespace isrgen::serve
