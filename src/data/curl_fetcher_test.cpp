// What a remote source's request looks like on the wire and what the fetcher
// makes of the answer; the transfer loop's own behaviour (retries, limits,
// redirects, batches) is tested in net/transfer_loop_test.cpp.
#include "data/curl_fetcher.h"

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "http_test_server.h"

using namespace isrgen::data;
using isrgen::testing::HttpTestServer;
using isrgen::testing::TestRequest;
using isrgen::testing::TestResponse;

namespace {

// Short backoff so no test waits on it, and a timeout that only a broken
// test would reach.
HttpRequest get(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  request.retry_delay_ms = 1;
  request.timeout_ms = 20'000;
  return request;
}

HttpResponse fetch(const HttpRequest& request) { return CurlFetcher().fetch_all({request}).at(0); }

TestResponse with_status(int status, std::string body = "") {
  TestResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

}  // namespace

TEST_CASE("fetcher returns a 200's body and validators") {
  HttpTestServer server;
  server.on("/jobs", [](const TestRequest&) {
    TestResponse response = TestResponse::json(R"([{"id":1}])");
    response.headers.emplace_back("ETag", "\"v1\"");
    response.headers.emplace_back("Last-Modified", "Sat, 21 Nov 2026 08:00:00 GMT");
    return response;
  });
  HttpResponse response = fetch(get(server.url("/jobs")));
  CHECK(response.status == 200);
  CHECK(response.error.empty());
  CHECK(response.body == R"([{"id":1}])");
  CHECK(response.etag == "\"v1\"");
  CHECK(response.last_modified == "Sat, 21 Nov 2026 08:00:00 GMT");
  CHECK(response.content_type == "application/json");
  CHECK(response.attempts == 1);
  CHECK(response.elapsed_ms >= 0);

  TestRequest sent = server.requests().at(0);
  CHECK(sent.method == "GET");
  CHECK(sent.header("Accept") == "application/json");
  CHECK(sent.header("User-Agent").rfind("isrgen/", 0) == 0);
  CHECK(sent.header("Accept-Encoding").find("gzip") != std::string::npos);  // decoded by libcurl
  CHECK_FALSE(sent.has_header("If-None-Match"));
  CHECK_FALSE(sent.has_header("If-Modified-Since"));
}

TEST_CASE("fetcher sends validators and takes a 304 with an empty body") {
  HttpTestServer server;
  server.on("/jobs", [](const TestRequest& request) {
    if (request.header("If-None-Match") != "\"v1\"") return TestResponse::json("[]");
    TestResponse unchanged = with_status(304);
    unchanged.headers.emplace_back("ETag", "\"v1\"");
    return unchanged;
  });
  HttpRequest request = get(server.url("/jobs"));
  request.if_none_match = "\"v1\"";
  request.if_modified_since = "Sat, 21 Nov 2026 08:00:00 GMT";
  HttpResponse response = fetch(request);
  CHECK(response.status == 304);
  CHECK(response.body.empty());
  CHECK(response.error.empty());
  CHECK(response.etag == "\"v1\"");
  CHECK(response.attempts == 1);
  TestRequest sent = server.requests().at(0);
  CHECK(sent.header("If-None-Match") == "\"v1\"");
  CHECK(sent.header("If-Modified-Since") == "Sat, 21 Nov 2026 08:00:00 GMT");
}

TEST_CASE("fetcher retries a 5xx as often as the source says, then reports the status") {
  HttpTestServer server;
  server.on("/down", [](const TestRequest&) { return with_status(503, "maintenance"); });
  HttpRequest request = get(server.url("/down"));
  request.retries = 2;
  HttpResponse response = fetch(request);
  CHECK(response.status == 503);
  CHECK(response.error.empty());
  CHECK(response.body == "maintenance");
  CHECK(response.attempts == 3);
}

TEST_CASE("fetcher's limit errors name the source's settings") {
  HttpTestServer server;
  server.on("/hang", [](const TestRequest&) { return TestResponse::hanging(); });
  server.on("/big", [](const TestRequest&) { return TestResponse::json(std::string(4096, 'x')); });
  HttpRequest slow = get(server.url("/hang"));
  slow.timeout_ms = 200;
  slow.retries = 0;
  HttpRequest big = get(server.url("/big"));
  big.max_bytes = 1024;
  std::vector<HttpResponse> responses = CurlFetcher().fetch_all({slow, big});
  CHECK(responses.at(0).error == "timed out after 200 ms (raise timeout)");
  CHECK(responses.at(1).error == "response over 1 KiB (raise max_bytes)");
  CHECK(responses.at(1).status == 0);
}

TEST_CASE("fetcher sends the request's headers") {
  HttpTestServer server;
  server.on("/jobs", [](const TestRequest&) { return TestResponse::json("[]"); });
  HttpRequest request = get(server.url("/jobs"));
  request.headers = {{"Authorization", "Bearer s3cret"}, {"Accept", "application/vnd.jobs+json"}, {"X-Empty", ""}};
  REQUIRE(fetch(request).status == 200);
  TestRequest sent = server.requests().at(0);
  CHECK(sent.header("Authorization") == "Bearer s3cret");
  CHECK(sent.header("Accept") == "application/vnd.jobs+json");
  CHECK(sent.has_header("X-Empty"));
  int accepts = 0;
  for (const auto& header : sent.headers) accepts += header.first == "Accept";
  CHECK(accepts == 1);  // the request's own Accept replaces the default
}

TEST_CASE("fetcher without headers of its own follows a redirect to another host") {
  HttpTestServer server;
  HttpTestServer other("127.0.0.2");
  server.on("/away", [&](const TestRequest&) {
    TestResponse moved = with_status(302);
    moved.headers = {{"Location", other.url("/there")}};
    return moved;
  });
  other.on("/there", [](const TestRequest&) {
    TestResponse response = TestResponse::json("[]");
    response.headers.emplace_back("ETag", "\"there\"");
    return response;
  });
  HttpRequest request = get(server.url("/away"));
  request.if_none_match = "\"v0\"";  // validators are no credentials
  HttpResponse response = fetch(request);
  CHECK(response.status == 200);
  CHECK(response.body == "[]");
  CHECK(response.etag == "\"there\"");
  CHECK(other.request_count() == 1);
}

// Any header of a source's `headers` may hold a secret, whatever its name.
TEST_CASE("fetcher never takes a source's configured headers to another origin") {
  HttpTestServer server;
  HttpTestServer other("127.0.0.2");
  std::atomic<int> forged{0};
  other.on("/", [&](const TestRequest&) {
    ++forged;
    return TestResponse::json(R"([{"id":"forged"}])");
  });
  server.on("/jobs", [&](const TestRequest&) {
    TestResponse moved = with_status(302, "moved");
    moved.headers = {{"Location", other.url("/")}};
    return moved;
  });
  const std::string from = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string to = "http://127.0.0.2:" + std::to_string(other.port());
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"X-Api-Key", "k-12345"}, {"X-Tenant", "acme-t-9"}, {"Authorization", "Bearer s3cret"}}) {
    INFO(name);
    HttpRequest request = get(server.url("/jobs"));
    request.headers = {{name, value}};
    HttpResponse response = fetch(request);
    CHECK(response.status == 0);
    CHECK(response.body.empty());
    CHECK(response.attempts == 1);
    CHECK(response.error == "redirect from " + from + " to another origin, " + to +
                                ", refused: the request carries credentials (" + name +
                                "), which stay with its own origin (if the new address is trusted, use it as the url)");
    CHECK(response.error.find(value) == std::string::npos);
  }
  CHECK(forged == 0);
}
