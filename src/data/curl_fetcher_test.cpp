#include "data/curl_fetcher.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "http_test_server.h"

using namespace isrgen::data;
using isrgen::testing::HttpTestServer;
using isrgen::testing::RefusingPort;
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

// A transfer failure: no status, no body, the error a user would read.
void check_failed(const HttpResponse& response, const std::string& error, int attempts) {
  CHECK(response.status == 0);
  CHECK(response.body.empty());
  CHECK(response.error == error);
  CHECK(response.attempts == attempts);
}

TestResponse with_status(int status, std::string body = "") {
  TestResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// Lets handlers wait until `expected` of them have arrived. The limit only
// ends a test whose requests never meet; it is not a timing assumption.
class Rendezvous {
 public:
  explicit Rendezvous(int expected) : expected_(expected) {}
  bool arrive_and_wait() {
    std::unique_lock lock(mutex_);
    if (++arrived_ == expected_) met_.notify_all();
    return met_.wait_for(lock, std::chrono::seconds(15), [this] { return arrived_ >= expected_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable met_;
  int expected_;
  int arrived_ = 0;
};

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

TEST_CASE("fetcher retries a 500 and keeps the connection") {
  HttpTestServer server;
  std::atomic<int> calls = 0;
  server.on("/flaky", [&](const TestRequest&) {
    return ++calls == 1 ? with_status(500, "try again") : TestResponse::json("[]");
  });
  HttpResponse response = fetch(get(server.url("/flaky")));
  CHECK(response.status == 200);
  CHECK(response.body == "[]");
  CHECK(response.attempts == 2);
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].connection == requests[1].connection);
}

TEST_CASE("fetcher gives up on a lasting 5xx after its retries and reports the status") {
  HttpTestServer server;
  server.on("/down", [](const TestRequest&) { return with_status(503, "maintenance"); });
  HttpRequest request = get(server.url("/down"));
  request.retries = 2;
  HttpResponse response = fetch(request);
  CHECK(response.status == 503);
  CHECK(response.error.empty());
  CHECK(response.body == "maintenance");
  CHECK(response.attempts == 3);
  CHECK(server.request_count() == 3);
}

TEST_CASE("fetcher retries a 429 with a doubling backoff") {
  HttpTestServer server;
  std::atomic<int> calls = 0;
  server.on("/busy", [&](const TestRequest&) { return ++calls <= 2 ? with_status(429) : TestResponse::json("[]"); });
  std::vector<int64_t> ceilings;
  CurlFetcherOptions options;
  options.random = [&](int64_t upper) {
    ceilings.push_back(upper);
    return int64_t{0};
  };
  HttpRequest request = get(server.url("/busy"));
  request.retry_delay_ms = 40;
  HttpResponse response = CurlFetcher(options).fetch_all({request}).at(0);
  CHECK(response.status == 200);
  CHECK(response.attempts == 3);
  CHECK(ceilings == std::vector<int64_t>{40, 80});
}

TEST_CASE("fetcher does not retry other 4xx") {
  HttpTestServer server;
  server.on("/secret", [](const TestRequest&) { return with_status(403); });
  HttpResponse missing = fetch(get(server.url("/missing")));
  HttpResponse forbidden = fetch(get(server.url("/secret")));
  CHECK(missing.status == 404);
  CHECK(missing.attempts == 1);
  CHECK(forbidden.status == 403);
  CHECK(forbidden.attempts == 1);
  CHECK(missing.error.empty());
  CHECK(server.request_count() == 2);
}

TEST_CASE("fetcher times out on a server that never answers") {
  HttpTestServer server;
  server.on("/hang", [](const TestRequest&) { return TestResponse::hanging(); });
  HttpRequest request = get(server.url("/hang"));
  request.timeout_ms = 200;
  request.retries = 0;
  check_failed(fetch(request), "timed out after 200 ms (raise timeout)", 1);
}

TEST_CASE("fetcher reports and retries a refused connection") {
  RefusingPort closed;
  HttpRequest request = get(closed.url("/jobs"));
  request.retries = 1;
  check_failed(fetch(request), "could not connect to 127.0.0.1: Connection refused", 2);
}

TEST_CASE("fetcher refuses a body over max_bytes, whatever its framing") {
  HttpTestServer server;
  const std::string big(4 << 20, 'x');
  server.on("/sized", [&](const TestRequest&) { return TestResponse::json(big); });
  server.on("/chunked", [&](const TestRequest&) {
    TestResponse response = TestResponse::json(big);
    response.chunked = true;
    return response;
  });
  server.on("/bomb", [&](const TestRequest&) {
    TestResponse response = TestResponse::json(std::string(32 << 20, '0'));  // about 32 KiB compressed
    response.gzip = true;
    return response;
  });
  for (const char* path : {"/sized", "/chunked", "/bomb"}) {
    INFO(path);
    HttpRequest request = get(server.url(path));
    request.max_bytes = 1 << 20;
    // Too large stays too large: no retry.
    check_failed(fetch(request), "response over 1 MiB (raise max_bytes)", 1);
  }
}

TEST_CASE("fetcher takes a body of exactly max_bytes") {
  HttpTestServer server;
  server.on("/exact", [](const TestRequest&) {
    TestResponse response = TestResponse::json(std::string(1000, 'x'));
    response.chunked = true;
    return response;
  });
  HttpRequest request = get(server.url("/exact"));
  request.max_bytes = 1000;
  HttpResponse response = fetch(request);
  CHECK(response.status == 200);
  CHECK(response.body.size() == 1000);
}

TEST_CASE("fetcher asks for compression and decodes a gzip body") {
  HttpTestServer server;
  server.on("/gz", [](const TestRequest&) {
    TestResponse response = TestResponse::json(R"([{"id":"a"},{"id":"b"}])");
    response.gzip = true;
    return response;
  });
  HttpResponse response = fetch(get(server.url("/gz")));
  CHECK(response.status == 200);
  CHECK(response.body == R"([{"id":"a"},{"id":"b"}])");
  CHECK(server.requests().at(0).header("Accept-Encoding").find("gzip") != std::string::npos);
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

TEST_CASE("fetcher refuses a header that would split the request, without quoting its value") {
  HttpTestServer server;
  HttpRequest request = get(server.url("/jobs"));
  request.headers = {{"Authorization", "Bearer s3cret\r\nX-Injected: 1"}};
  HttpResponse response = fetch(request);
  CHECK(response.status == 0);
  CHECK(response.attempts == 0);
  CHECK(response.error.find("Authorization") != std::string::npos);
  CHECK(response.error.find("s3cret") == std::string::npos);
  CHECK(server.request_count() == 0);
}

TEST_CASE("fetcher follows redirects and keeps only the last response") {
  HttpTestServer server;
  server.on("/old", [&](const TestRequest&) {
    TestResponse moved = with_status(301, "moved");
    moved.headers = {{"Location", "/new"}, {"ETag", "\"old\""}};
    return moved;
  });
  server.on("/new", [](const TestRequest&) {
    TestResponse response = TestResponse::json("[]");
    response.headers.emplace_back("ETag", "\"new\"");
    return response;
  });
  HttpResponse response = fetch(get(server.url("/old")));
  CHECK(response.status == 200);
  CHECK(response.body == "[]");
  CHECK(response.etag == "\"new\"");
  CHECK(server.request_count() == 2);
}

TEST_CASE("fetcher without headers of its own follows a redirect to another host") {
  HttpTestServer server;
  HttpTestServer other("127.0.0.2");
  server.on("/away", [&](const TestRequest&) {
    TestResponse moved = with_status(302);
    moved.headers = {{"Location", other.url("/there")}};
    return moved;
  });
  other.on("/there", [](const TestRequest&) { return TestResponse::json("[]"); });
  HttpResponse response = fetch(get(server.url("/away")));
  CHECK(response.status == 200);
  CHECK(response.body == "[]");
  CHECK(other.request_count() == 1);
}

TEST_CASE("fetcher never takes a request's headers to another origin a redirect names") {
  HttpTestServer server;
  HttpTestServer other_host("127.0.0.2");
  HttpTestServer other_port;
  other_host.on("/", [](const TestRequest&) { return TestResponse::json(R"([{"id":"forged"}])"); });
  other_port.on("/", [](const TestRequest&) { return TestResponse::json(R"([{"id":"forged"}])"); });
  const std::string from = "http://127.0.0.1:" + std::to_string(server.port());
  const std::vector<std::pair<std::string, std::string>> elsewhere = {
      {other_host.url("/"), "http://127.0.0.2:" + std::to_string(other_host.port())},
      {other_port.url("/"), "http://127.0.0.1:" + std::to_string(other_port.port())},
      {"https://127.0.0.1:" + std::to_string(server.port()) + "/", "https://127.0.0.1:" + std::to_string(server.port())},
  };
  for (const auto& [location, to] : elsewhere) {
    INFO(location);
    server.on("/jobs", [location = location](const TestRequest&) {
      TestResponse moved = with_status(302, "moved");
      moved.headers = {{"Location", location}};
      return moved;
    });
    HttpRequest request = get(server.url("/jobs"));
    request.headers = {{"X-Api-Key", "k-12345"}};
    HttpResponse response = fetch(request);
    check_failed(response,
                 "redirect from " + from + " to another origin, " + to +
                     ", refused: the request carries headers or credentials, which stay with its own origin (if the "
                     "new address is trusted, use it as the url)",
                 1);
    CHECK(response.error.find("k-12345") == std::string::npos);
  }
  // A password in the url is a credential too.
  server.on("/jobs", [&](const TestRequest&) {
    TestResponse moved = with_status(302);
    moved.headers = {{"Location", other_host.url("/")}};
    return moved;
  });
  HttpResponse with_password = fetch(get("http://reader:pw-678@127.0.0.1:" + std::to_string(server.port()) + "/jobs"));
  CHECK(with_password.status == 0);
  CHECK(with_password.error.starts_with("redirect from " + from + " to another origin, http://127.0.0.2:"));
  CHECK(with_password.error.find("pw-678") == std::string::npos);
  CHECK(other_host.request_count() == 0);
  CHECK(other_port.request_count() == 0);
  for (const TestRequest& sent : server.requests())
    if (!sent.has_header("Authorization")) CHECK(sent.header("X-Api-Key") == "k-12345");
}

TEST_CASE("fetcher follows a redirect within the origin with the request's headers") {
  HttpTestServer server;
  std::atomic<int> new_calls{0};
  server.on("/old", [](const TestRequest&) {
    TestResponse moved = with_status(301, "moved");
    moved.headers = {{"Location", "/new"}, {"ETag", "\"old\""}};
    return moved;
  });
  server.on("/new", [&](const TestRequest&) {
    // Once unavailable: the retry starts over at the url asked for.
    if (++new_calls == 1) return with_status(503);
    TestResponse response = TestResponse::json("[]");
    response.headers.emplace_back("ETag", "\"new\"");
    return response;
  });
  server.on("/loop", [](const TestRequest&) {
    TestResponse again = with_status(307);
    again.headers = {{"Location", "/loop"}};
    return again;
  });
  HttpRequest request = get(server.url("/old"));
  request.headers = {{"X-Api-Key", "k-12345"}};
  HttpResponse response = fetch(request);
  CHECK(response.status == 200);
  CHECK(response.body == "[]");
  CHECK(response.etag == "\"new\"");
  CHECK(response.attempts == 2);
  std::vector<std::string> paths;
  for (const TestRequest& sent : server.requests()) {
    paths.push_back(sent.path());
    CHECK(sent.header("X-Api-Key") == "k-12345");
  }
  CHECK(paths == std::vector<std::string>{"/old", "/new", "/old", "/new"});

  request.url = server.url("/loop");
  check_failed(fetch(request), "more than 5 redirects (check the url)", 1);
}

TEST_CASE("fetcher stops at a redirect loop and at a redirect to another protocol") {
  HttpTestServer server;
  server.on("/loop", [](const TestRequest&) {
    TestResponse again = with_status(302);
    again.headers = {{"Location", "/loop"}};
    return again;
  });
  server.on("/file", [](const TestRequest&) {
    TestResponse away = with_status(302);
    away.headers = {{"Location", "file:///etc/passwd"}};
    return away;
  });
  check_failed(fetch(get(server.url("/loop"))), "more than 5 redirects (check the url)", 1);
  HttpResponse file = fetch(get(server.url("/file")));
  CHECK(file.status == 0);
  CHECK(file.error.find("only http and https") != std::string::npos);
}

TEST_CASE("fetcher runs a batch in parallel") {
  // Each handler answers only once both requests are in: fetching one after
  // the other could never get both answers.
  HttpTestServer server;
  Rendezvous both(2);
  server.on("/a", [&](const TestRequest&) { return both.arrive_and_wait() ? TestResponse::json("a") : with_status(504); });
  server.on("/b", [&](const TestRequest&) { return both.arrive_and_wait() ? TestResponse::json("b") : with_status(504); });
  HttpRequest a = get(server.url("/a")), b = get(server.url("/b"));
  a.retries = b.retries = 0;
  std::vector<HttpResponse> responses = CurlFetcher().fetch_all({a, b});
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].status == 200);
  CHECK(responses[0].body == "a");
  CHECK(responses[1].status == 200);
  CHECK(responses[1].body == "b");
}

TEST_CASE("fetcher answers a batch larger than its parallel limit in request order") {
  HttpTestServer server;
  std::atomic<int> calls = 0;
  std::vector<HttpRequest> requests;
  for (int i = 0; i < 20; ++i) {
    std::string path = "/item/" + std::to_string(i);
    // Every third request fails once, so retries interleave with first attempts.
    server.on(path, [&calls, i, failed = std::make_shared<std::atomic<bool>>(false)](const TestRequest&) {
      ++calls;
      if (i % 3 == 0 && !failed->exchange(true)) return with_status(502);
      return TestResponse::json(std::to_string(i));
    });
    requests.push_back(get(server.url(path)));
  }
  std::vector<HttpResponse> responses = CurlFetcher(CurlFetcherOptions{4, kMaxRetryDelayMs, {}, {}}).fetch_all(requests);
  REQUIRE(responses.size() == 20);
  for (int i = 0; i < 20; ++i) {
    INFO(i);
    CHECK(responses[i].status == 200);
    CHECK(responses[i].body == std::to_string(i));
    CHECK(responses[i].attempts == (i % 3 == 0 ? 2 : 1));
  }
  CHECK(calls == 27);
  CHECK(CurlFetcher().fetch_all({}).empty());
}

TEST_CASE("fetcher waits as long as Retry-After asks, within its cap") {
  HttpTestServer server;
  std::atomic<int> calls = 0;
  server.on("/later", [&](const TestRequest&) {
    if (++calls > 1) return TestResponse::json("[]");
    TestResponse busy = with_status(503);
    busy.headers = {{"Retry-After", "3600"}};
    return busy;
  });
  // The cap turns the hour asked for into 150 ms; without Retry-After the
  // wait would be at most retry_delay_ms (1 ms).
  CurlFetcherOptions options;
  options.max_retry_delay_ms = 150;
  HttpResponse response = CurlFetcher(options).fetch_all({get(server.url("/later"))}).at(0);
  CHECK(response.status == 200);
  CHECK(response.attempts == 2);
  CHECK(response.elapsed_ms >= 150);
}

TEST_CASE("fetcher finishes a transfer libcurl refuses to start, and the rest of the batch") {
  HttpTestServer server;
  server.on("/a", [](const TestRequest&) { return TestResponse::json("a"); });
  server.on("/b", [](const TestRequest&) { return TestResponse::json("b"); });
  std::atomic<int> starts = 0;
  CurlFetcherOptions options;
  options.max_parallel = 1;  // the refused start must free its slot for the next request
  options.add_handle = [&](CURLM* multi, CURL* easy) {
    // The first request's start is refused; the others start as usual.
    if (++starts == 1) return CURLM_OUT_OF_MEMORY;
    return curl_multi_add_handle(multi, easy);
  };
  HttpRequest refused = get(server.url("/a"));
  refused.retries = 3;  // a refused start is no transient failure: not retried
  std::vector<HttpResponse> responses = CurlFetcher(options).fetch_all({refused, get(server.url("/b"))});
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].status == 0);
  CHECK(responses[0].body.empty());
  CHECK(responses[0].error == "could not start the HTTP transfer: Out of memory");
  CHECK(responses[0].attempts == 1);
  CHECK(responses[0].elapsed_ms >= 0);
  CHECK(responses[1].status == 200);
  CHECK(responses[1].body == "b");
  CHECK(starts == 2);
  CHECK(server.request_count() == 1);
}

TEST_CASE("fetcher counts a transfer's time from its first attempt, not from the batch's start") {
  // One transfer at a time: the second waits in the queue while the first
  // runs into its timeout. Its own exchange starts only then.
  HttpTestServer server;
  server.on("/hang", [](const TestRequest&) { return TestResponse::hanging(); });
  server.on("/quick", [](const TestRequest&) { return TestResponse::json("[]"); });
  HttpRequest slow = get(server.url("/hang"));
  slow.timeout_ms = 200;
  slow.retries = 0;
  CurlFetcherOptions options;
  options.max_parallel = 1;
  auto batch_start = std::chrono::steady_clock::now();
  std::vector<HttpResponse> responses = CurlFetcher(options).fetch_all({slow, get(server.url("/quick"))});
  auto batch_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - batch_start).count();
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].error == "timed out after 200 ms (raise timeout)");
  CHECK(responses[0].elapsed_ms >= 200);
  CHECK(responses[1].status == 200);
  // One after the other, so their times add up to at most the batch's (each
  // is rounded down; 2 ms of slack for that). Counting the queueing, the
  // second alone would take nearly all of it.
  CHECK(responses[0].elapsed_ms + responses[1].elapsed_ms <= batch_ms + 2);
}
