#include "publish/http_call.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <set>

#include "http_test_server.h"
#include "publish/deploy_config.h"
#include "publish/purge.h"
#include "publish/s3_request.h"
#include "util/clock.h"

using namespace isrgen;
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
  std::vector<net::Request> calls(3);
  calls[0].url = server.url("/flaky");
  calls[1].url = server.url("/missing");
  calls[2].method = "PUT";
  calls[2].url = server.url("/busy");
  calls[2].body = "payload";
  HttpRunOptions options;
  options.retries = 3;
  options.retry_delay_ms = 0;
  std::vector<net::Response> outcomes(3);
  std::vector<int> reports(3, 0);
  run_http_calls(calls, options, [&](size_t index, net::Response outcome) {
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
  net::Request call;
  call.url = refusing.url("/");
  HttpRunOptions options;
  options.retries = 1;
  options.retry_delay_ms = 0;
  net::Response outcome = run_http_call(call, options);
  CHECK_FALSE(outcome.ok());
  CHECK(outcome.status == 0);
  CHECK(outcome.attempts == 2);
  CHECK_FALSE(outcome.error.empty());
}

TEST_CASE("http calls: bodies from memory arrive whole, calls that cannot start report once among the others") {
  HttpTestServer server;
  server.on("/put", [](const TestRequest&) { return TestResponse{}; });
  std::string large;
  for (int i = 0; large.size() < 300'000; ++i) large += "chunk " + std::to_string(i) + "\n";
  std::vector<net::Request> calls;
  for (int i = 0; i < 6; ++i) {
    net::Request call;
    call.method = "PUT";
    call.url = server.url("/put");
    if (i % 2 == 0) call.body_file = "/nonexistent/isrgen/body-" + std::to_string(i);  // fails before connecting
    else call.body = i == 1 ? large : i == 3 ? "" : "small";
    calls.push_back(call);
  }
  HttpRunOptions options;
  options.parallel = 2;
  options.retries = 2;
  options.retry_delay_ms = 0;
  std::vector<int> reports(calls.size(), 0);
  std::vector<net::Response> outcomes(calls.size());
  run_http_calls(calls, options, [&](size_t index, net::Response outcome) {
    ++reports[index];
    outcomes[index] = std::move(outcome);
  });
  CHECK(reports == std::vector<int>(calls.size(), 1));
  for (size_t i = 0; i < calls.size(); ++i) {
    INFO(i);
    if (i % 2 == 0) {
      CHECK_FALSE(outcomes[i].ok());
      CHECK(outcomes[i].error.find("cannot read /nonexistent/isrgen/body-") == 0);
    } else {
      CHECK(outcomes[i].ok());
    }
  }
  std::multiset<std::string> bodies;
  for (const auto& request : server.requests()) bodies.insert(request.body);
  CHECK(bodies == std::multiset<std::string>{large, "", "small"});
}

TEST_CASE("http calls: S3 and purge calls follow no redirect, one to another origin is an error naming both") {
  HttpTestServer bucket;
  HttpTestServer elsewhere("127.0.0.2");
  elsewhere.on("/", [](const TestRequest&) { return TestResponse{}; });
  bucket.on("/site-bucket/acme/index.html", [&](const TestRequest&) {
    return TestResponse{307, {{"Location", elsewhere.url("/")}}, ""};
  });
  bucket.on("/purge", [&](const TestRequest&) { return TestResponse{302, {{"Location", elsewhere.url("/")}}, ""}; });
  bucket.on("/moved", [&](const TestRequest&) { return TestResponse{301, {{"Location", "/purge-here"}}, ""}; });

  S3Settings settings;
  settings.access_key_id = "AKIDEXAMPLE";
  settings.secret_access_key = "s3cret-key";
  settings.session_token = "session-token";
  settings.endpoint = bucket.url("");
  S3Request put;
  put.method = "PUT";
  put.bucket = "site-bucket";
  put.key = "acme/index.html";
  put.body = "<h1>acme</h1>";
  PurgeConfig purge;
  purge.url = bucket.url("/purge");
  purge.secret = "purge-secret";
  isrgen::ManualClock clock(1'763'700'000'000);
  std::vector<net::Request> calls = {make_s3_call(settings, put), webhook_purge_calls(purge, {{"/acme/"}, {}}, clock).at(0)};

  HttpRunOptions options;
  options.retry_delay_ms = 0;
  const std::string from = "http://127.0.0.1:" + std::to_string(bucket.port());
  const std::string to = "http://127.0.0.2:" + std::to_string(elsewhere.port());
  const std::vector<std::string> credentials = {"x-amz-security-token, an AWS signature", "X-Isrgen-Signature"};
  for (size_t i = 0; i < calls.size(); ++i) {
    INFO(calls[i].url);
    net::Response outcome = run_http_call(calls[i], options);
    CHECK_FALSE(outcome.ok());
    CHECK(outcome.status == 0);
    CHECK(outcome.attempts == 1);
    CHECK(outcome.describe() == "redirect from " + from + " to another origin, " + to +
                                    ", refused: the request carries credentials (" + credentials[i] +
                                    "), which stay with its own origin (if the new address is trusted, use it as "
                                    "the url)");
    CHECK(outcome.error.find("session-token") == std::string::npos);
    CHECK(outcome.error.find("s3cret-key") == std::string::npos);
  }
  CHECK(elsewhere.request_count() == 0);
  CHECK(bucket.request_count() == 2);

  // Within the origin a redirect is not followed either: the 3xx is the answer.
  purge.url = bucket.url("/moved");
  net::Response moved = run_http_call(webhook_purge_calls(purge, {{"/acme/"}, {}}, clock).at(0), options);
  CHECK(moved.status == 301);
  CHECK(moved.error.empty());
  CHECK(bucket.request_count() == 3);
}

TEST_CASE("http calls: an answer over 16 MiB is refused, not held in memory") {
  HttpTestServer server;
  server.on("/huge", [](const TestRequest&) { return TestResponse{200, {}, std::string((16 << 20) + 1, 'x')}; });
  server.on("/large", [](const TestRequest&) { return TestResponse{200, {}, std::string(16 << 20, 'x')}; });
  HttpRunOptions options;
  options.retries = 0;
  net::Request call;
  call.url = server.url("/huge");
  net::Response huge = run_http_call(call, options);
  CHECK(huge.error == "response over 16 MiB");
  CHECK(huge.body.size() <= (16u << 20));
  call.url = server.url("/large");
  net::Response large = run_http_call(call, options);
  CHECK(large.ok());
  CHECK(large.body.size() == (16u << 20));
}
