#include "serve/job_endpoints.h"

#include <string_view>
#include <utility>

namespace isrgen::serve {

nlohmann::json job_json(const Job& job) {
  auto time = [](int64_t ms) -> nlohmann::json { return ms ? nlohmann::json(format_iso8601_utc(ms)) : nullptr; };
  nlohmann::json document = {{"job", job.id},
                             {"status", job_status_name(job.status)},
                             {"tags", job.request.tags},
                             {"paths", job.request.paths},
                             {"accepted_at", time(job.accepted_ms)},
                             {"started_at", time(job.started_ms)},
                             {"finished_at", time(job.finished_ms)},
                             {"report", job.report}};
  if (!job.error.empty()) document["error"] = job.error;
  return document;
}

void JobEndpoints::answer_webhook(HttpRequest&& request, Responder respond) {
  const ServeConfig& config = *parts_.config;
  WebhookSettings settings{parts_.webhook_secret, config.signature_tolerance_s, config.max_queued, config.map};
  auto view = parts_.site->current();
  handle_revalidate(request, settings, view->config, *parts_.clock, parts_.accept,
                    [this, remote = request.remote_address, respond = std::move(respond)](WebhookOutcome outcome) {
                      if (outcome.queued) parts_.worker->notify();
                      int status = outcome.response.status;
                      parts_.metrics->count_webhook_answer(status);
                      if (status != 202)
                        parts_.log->problem("POST /revalidate from " + remote + ": " + std::to_string(status));
                      respond(std::move(outcome.response));
                    });
}

void JobEndpoints::answer_job(const HttpRequest& request, Responder respond) {
  auto job = parts_.jobs->find(request.path.substr(std::string_view("/jobs/").size()));
  if (!job) return respond(HttpResponse::json(500, {{"error", "the job store cannot be read; retry later"}}));
  if (!job.value()) return respond(HttpResponse::json(404, {{"error", "no such job (jobs are kept for a day)"}}));
  respond(HttpResponse::json(200, job_json(*job.value())));
}

void JobEndpoints::answer_health(Responder respond) {
  WorkerMetrics worker = parts_.worker->metrics();
  auto queued = parts_.jobs->queued_count();
  bool healthy = queued.ok() && !worker.store_failing;
  nlohmann::json body = {{"status", healthy ? "ok" : "failing"},
                         {"queued", queued.ok() ? nlohmann::json(queued.value()) : nullptr},
                         {"running", worker.jobs_running},
                         {"builds", worker.builds},
                         {"jobs_done", worker.jobs_done},
                         {"jobs_failed", worker.jobs_failed}};
  respond(HttpResponse::json(healthy ? 200 : 503, body));
}

}  // namespace isrgen::serve
