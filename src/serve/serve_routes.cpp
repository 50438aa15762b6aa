#include "serve/serve_routes.h"

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace isrgen::serve {
namespace {

HttpResponse method_not_allowed(const char* allow) {
  HttpResponse response = HttpResponse::json(405, {{"error", std::string("method not allowed; use ") + allow}});
  response.headers.emplace_back("Allow", allow);
  return response;
}

}  // namespace

bool is_job_path(std::string_view path) {
  constexpr std::string_view kPrefix = "/jobs/";
  if (!path.starts_with(kPrefix) || path.size() != kPrefix.size() + 32) return false;
  for (char c : path.substr(kPrefix.size()))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

void route_request(const ServeRoutes& routes, HttpRequest&& request, Responder respond) {
  const std::string& path = request.path;
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (path == "/revalidate") {
    if (request.method == "POST") return routes.webhook(std::move(request), std::move(respond));
    routes.webhook_answered(405);
    return respond(method_not_allowed("POST"));
  }
  if (!read) return respond(method_not_allowed("GET, HEAD"));
  if (path == "/healthz") return routes.health(std::move(respond));
  if (path == "/metrics") return routes.metrics(std::move(respond));
  if (is_job_path(path)) return routes.job(std::move(request), std::move(respond));
  routes.origin(std::move(request), std::move(respond));
}

}  // namespace isrgen::serve
