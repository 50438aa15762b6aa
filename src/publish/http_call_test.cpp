#include "publish/http_call.h"

#include <catch2/catch.hpp>

#include <atomic>

#include "capture_server.h"

using namespace isrgen::publish;
using isrgen::testing::CannedResponse;
using isrgen::testing::CaptureServer;

TEST_CASE("http calls: 5xx and 429 are retried, 4xx is not, each call reports once") {
  std::atomic<int> flaky_calls{0};
  CaptureServer server([&](const isrgen::testing::CapturedRequest& request) {
    if (request.target == "/flaky") return CannedResponse{++flaky_calls < 3 ? 503 : 200, "ok", {}};
    if (request.target == "/busy") return CannedResponse{429, "slow down", {}};
    return CannedResponse{404, "no such key", {{"ETag", "\"abc\""}}};
  });
  std::vector<HttpCall> calls(3);
  calls[0].url = server.url() + "/flaky";
  calls[1].url = server.url() + "/missing";
  calls[2].method = "PUT";
  calls[2].url = server.url() + "/busy";
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
  int port;
  {
    CaptureServer closed;
    port = closed.port();
  }
  HttpCall call;
  call.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  HttpRunOptions options;
  options.retries = 1;
  options.retry_delay_ms = 0;
  HttpOutcome outcome = run_http_call(call, options);
  CHECK_FALSE(outcome.ok());
  CHECK(outcome.status == 0);
  CHECK(outcome.attempts == 2);
  CHECK_FALSE(outcome.error.empty());
}
