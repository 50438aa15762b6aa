// POST /revalidate as `isrgen serve` answers it: authenticate the raw body
// (webhook_auth.h), check it (revalidate_request.h), then commit a job to the
// durable queue before answering, so a 202 is a promise that survives a crash.
//
//   202 {"job": "<id>"}                      queued; GET /jobs/<id> follows it
//   202 {"job": "<id>", "duplicate": true}   the delivery id was seen within 24 h:
//                                            acknowledged, not run again
//   400 bad JSON, a path outside the site, a bad delivery id, a CMS payload
//       no [[serve.map]] rule applies to
//   401 no or a wrong signature (the reason never holds the secret or the signature expected)
//   429 the queue is full (Retry-After says when to try again)
//   500 the job could not be stored (the sender should retry)
// Bodies over the limit are answered 413 by the server before they get here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "serve/http_server.h"
#include "serve/job_store.h"
#include "serve/payload_map.h"
#include "site/site_config.h"
#include "util/clock.h"

namespace isrgen::serve {

struct WebhookSettings {
  std::string secret;
  int64_t tolerance_seconds = 300;
  size_t max_queued = 10'000;
  std::span<const MapRule> map;  // [[serve.map]] rules for a CMS's own payload; empty: isrgen's body only
};

// The refusal and the job id, for the caller's log line and metrics.
struct WebhookOutcome {
  HttpResponse response;
  bool queued = false;  // a new job was committed: wake the worker
};

// Stores a checked job and calls back with the store's outcome, now or later
// and from any thread (serve uses a JobCommitter's submit).
using JobAcceptor =
    std::function<void(JobRequest request, std::function<void(const Result<AcceptOutcome>&)> stored)>;

// Answers `request` through `answer`, exactly once: at once for a refusal,
// else once `accept` has stored the job (the 202, or the store's refusal).
void handle_revalidate(const HttpRequest& request, const WebhookSettings& settings, const SiteConfig& config,
                       const Clock& clock, const JobAcceptor& accept, std::function<void(WebhookOutcome)> answer);

}  // namespace isrgen::serve
