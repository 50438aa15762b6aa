// Which part of `isrgen serve` answers a request, by path and method:
//
//   POST /revalidate         the webhook
//   GET|HEAD /healthz        health
//   GET|HEAD /metrics        Prometheus text
//   GET|HEAD /jobs/<32 hex>  a job (any other /jobs/... path is the origin's: a tenant's "jobs" page)
//   GET|HEAD anything else   the ISR origin
//
// Another method on these paths is a 405 naming the allowed ones.
#pragma once

#include <functional>
#include <string_view>

#include "serve/http_server.h"

namespace isrgen::serve {

struct ServeRoutes {
  RequestHandler webhook;
  std::function<void(Responder)> health;
  std::function<void(Responder)> metrics;
  RequestHandler job;
  RequestHandler origin;
  // The routing answered /revalidate itself (405), for the webhook metrics.
  std::function<void(int status)> webhook_answered;
};

// Hands `request` to the route its path and method pick, or answers 405.
void route_request(const ServeRoutes& routes, HttpRequest&& request, Responder respond);

// "/jobs/" and a job id (32 lowercase hex digits, job_store.h).
bool is_job_path(std::string_view path);

}  // namespace isrgen::serve
