#include "serve/serve_metrics.h"

#include <string>

namespace isrgen::serve {

ServeMetrics::ServeMetrics(std::function<double()> queued_jobs) {
  builds_ = &registry_.counter("isrgen_builds_total", "Builds run by the job worker.");
  build_failures_ = &registry_.counter("isrgen_build_failures_total",
                                       "Builds that could not run, had failing pages or failed to sync.");
  pages_rendered_ = &registry_.counter("isrgen_pages_rendered_total", "Page variants rendered by builds.");
  fetch_failures_ = &registry_.counter("isrgen_source_fetch_failures_total", "Remote source fetches that failed.");
  registry_.gauge_callback("isrgen_jobs_queued", "Jobs waiting for the next build.", std::move(queued_jobs));
  job_latency_ = &registry_.histogram("isrgen_job_latency_seconds", "Time from a job's acceptance to its end.",
                                      kLatencyBucketsSeconds);
  const std::string origin_help =
      "Origin requests by cache outcome: hit, stale (served while refreshed), miss (rendered on first request).";
  cache_hit_ = &registry_.counter("isrgen_origin_requests_total", origin_help, {{"cache", "hit"}});
  cache_stale_ = &registry_.counter("isrgen_origin_requests_total", origin_help, {{"cache", "stale"}});
  cache_miss_ = &registry_.counter("isrgen_origin_requests_total", origin_help, {{"cache", "miss"}});
  registry_.gauge_callback("isrgen_origin_cache_hit_ratio",
                           "Share of origin page and file requests served without waiting for a build, since start.",
                           [this] {
                             double hits = static_cast<double>(cache_hit_->value() + cache_stale_->value());
                             double all = hits + static_cast<double>(cache_miss_->value());
                             return all > 0 ? hits / all : 0.0;
                           });
  for (int status : {202, 400, 401, 405, 413, 429, 500}) count_webhook_answer(status, 0);
}

void ServeMetrics::count_build(const WorkOutcome& outcome, const BuildReport* report) {
  builds_->increment();
  if (!outcome.ok) build_failures_->increment();
  if (!report) return;
  pages_rendered_->increment(report->rendered.size());
  for (const FetchEntry& fetch : report->fetched)
    if (fetch.outcome == data::FetchResult::kFailed) fetch_failures_->increment();
}

void ServeMetrics::observe_finished(const std::vector<Job>& jobs, int64_t now_ms) {
  for (const Job& job : jobs) job_latency_->observe(static_cast<double>(now_ms - job.accepted_ms) / 1000.0);
}

void ServeMetrics::count_webhook_answer(int status, uint64_t amount) {
  registry_
      .counter("isrgen_webhook_requests_total", "Answers to /revalidate by status.", {{"code", std::to_string(status)}})
      .increment(amount);
}

}  // namespace isrgen::serve
