// The service's own answers in `isrgen serve`, beside the origin's:
//
//   POST /revalidate    a signed webhook becomes a durable job (revalidate_endpoint.h),
//                       committed in group commits (job_committer.h), then the worker wakes
//   GET  /jobs/<id>     a job's status and, once finished, its build report
//   GET  /healthz       200 while the job store works, else 503
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "serve/http_server.h"
#include "serve/job_store.h"
#include "serve/job_worker.h"
#include "serve/revalidate_endpoint.h"
#include "serve/serve_config.h"
#include "serve/serve_log.h"
#include "serve/serve_metrics.h"
#include "serve/site_view.h"
#include "util/clock.h"

namespace isrgen::serve {

struct JobEndpointParts {
  const ServeConfig* config = nullptr;  // the signature tolerance, the queue's cap, [[serve.map]]
  std::string webhook_secret;
  JobStore* jobs = nullptr;
  JobWorker* worker = nullptr;
  JobAcceptor accept;  // stores a webhook's job; the answer waits for it
  const SiteViews* site = nullptr;
  ServeMetrics* metrics = nullptr;
  const ServeLog* log = nullptr;
  const Clock* clock = nullptr;
};

class JobEndpoints {
 public:
  explicit JobEndpoints(JobEndpointParts parts) : parts_(std::move(parts)) {}

  // Answers from the committer's thread once the job is on disk; a refusal
  // is logged (the address and status, never the secret).
  void answer_webhook(HttpRequest&& request, Responder respond);
  void answer_job(const HttpRequest& request, Responder respond);
  void answer_health(Responder respond);

 private:
  JobEndpointParts parts_;
};

// GET /jobs/<id>'s document: {"job", "status", "tags", "paths", "accepted_at",
// "started_at", "finished_at" (ISO 8601 or null), "report", "error" when failed}.
nlohmann::json job_json(const Job& job);

}  // namespace isrgen::serve
