#include "serve/serve_routes.h"

#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace isrgen;
using namespace isrgen::serve;

namespace {

const std::string kJobId = "0123456789abcdef0123456789abcdef";

// Which route took a request, or the answer the routing gave itself.
struct Routed {
  std::string route;
  std::optional<HttpResponse> answer;
  std::vector<int> webhook_answers;
};

Routed send(const std::string& method, const std::string& path) {
  Routed routed;
  auto took = [&routed](const char* name) {
    return [&routed, name](HttpRequest&&, Responder) { routed.route = name; };
  };
  auto took_bare = [&routed](const char* name) { return [&routed, name](Responder) { routed.route = name; }; };
  ServeRoutes routes{took("webhook"),  took_bare("health"), took_bare("metrics"),
                     took("job"),      took("origin"),      [&routed](int status) { routed.webhook_answers.push_back(status); }};
  HttpRequest request;
  request.method = method;
  request.path = path;
  route_request(routes, std::move(request), [&routed](HttpResponse response) { routed.answer = std::move(response); });
  return routed;
}

std::string allowed(const Routed& routed) {
  REQUIRE(routed.answer);
  CHECK(routed.answer->status == 405);
  for (const auto& [name, value] : routed.answer->headers)
    if (name == "Allow") return value;
  return "";
}

}  // namespace

TEST_CASE("serve routes: each path and method reaches its part") {
  CHECK(send("POST", "/revalidate").route == "webhook");
  CHECK(send("GET", "/healthz").route == "health");
  CHECK(send("HEAD", "/metrics").route == "metrics");
  CHECK(send("GET", "/jobs/" + kJobId).route == "job");
  CHECK(send("GET", "/acme/summer/").route == "origin");
  // Not a job id: a tenant's "jobs" pages are the origin's.
  CHECK(send("GET", "/jobs/berlin/").route == "origin");
  CHECK(send("GET", "/jobs/" + std::string(32, 'A')).route == "origin");
  CHECK(send("GET", "/jobs/" + kJobId + "0").route == "origin");
}

TEST_CASE("serve routes: another method is a 405 naming the allowed ones") {
  Routed get_webhook = send("GET", "/revalidate");
  CHECK(get_webhook.route.empty());
  CHECK(allowed(get_webhook) == "POST");
  CHECK(get_webhook.webhook_answers == std::vector<int>{405});
  for (const std::string& path : {std::string("/healthz"), std::string("/metrics"), "/jobs/" + kJobId,
                                  std::string("/acme/")}) {
    Routed posted = send("POST", path);
    CHECK(posted.route.empty());
    CHECK(allowed(posted) == "GET, HEAD");
    CHECK(posted.webhook_answers.empty());
  }
}
