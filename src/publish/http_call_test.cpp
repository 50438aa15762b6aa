#include "publish/http_call.h"

#include <catch2/catch.hpp>

#include <atomic>

#include "http_test_server.h"

using namespace isrgen::publish;
using isrgen::testing::HttpTestServer;
using isrgen::testing::RefusingPort;
using isrgen::testing::TestRequest;
using isrgen::testing::TestResponse;

TEST_CASE("http calls: 5xx and 429 are retried, 4xx is not, each call reports once") {
  std::atomic<int> flaky_calls{0};
  HttpTestServer server;
  server.on("/flaky", [&](const TestRequest&) { return TestResponse{++flaky_calls < 3 ? 503 : 200, {}, "ok"}; });
  server.on("/busy", [](const TestRequest&) { return TestResponse{429, {}, "slow down"}; });
  server.on("/missing", [](const TestRequest&) { return TestResponse{404, {{"ETag", "\"abc\""}}, "no such key"}; });
  std::vector<HttpCall> calls(3);
  calls[0].url = server.url("/flaky");
  calls[1].url = server.url("/missing");
  calls[2].method = "PUT";
  calls[2].url = server.url("/busy");
  calls[2].body = "payload";
  HttpRunOptions options;
  options.retries = 3;
  options.retry_delay_ms = 0;
  std::vector<HttpOutcome> outcomes(3);
  std::vector<int> reports(3, 0);
  run_http_calls(calls, options, [&](size_t index, HttpOutcome outcome) {
    ++reports[index];
    outcomes[index] = std::move(outcome);
  });
  CHECK(reports == std::vector<int>{1, 1, 1});
  CHECK(outcomes[0].ok());
  CHECK(outcomes[0].attempts == 3);
  CHECK(outcomes[0].body == "ok");
  CHECK(outcomes[1].status == 404);
  CHECK(outcomes[1].attempts == 1);
  CHECK(outcomes[1].headers.at("etag") == "\"abc\"");
  CHECK(outcomes[1].describe() == "HTTP 404: no such key");
  CHECK(outcomes[2].status == 429);
  CHECK(outcomes[2].attempts == 4);
  for (const auto& request : server.requests())
    if (request.method == "PUT") CHECK(request.body == "payload");
}

TEST_CASE("http calls: a refused connection is a transport error, after the retries") {
  RefusingPort refusing;
  HttpCall call;
  call.url = refusing.url("/");
  HttpRunOptions options;
  options.retries = 1;
  options.retry_delay_ms = 0;
  HttpOutcome outcome = run_http_call(call, options);
  CHECK_FALSE(outcome.ok());
  CHECK(outcome.status == 0);
  CHECK(outcome.attempts == 2);
  CHECK_FALSE(outcome.error.empty());
}
