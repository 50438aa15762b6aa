// The transfer loop against loopback servers: retries, limits, redirects and
// the credential rule, bodies sent, batches.
#include "net/transfer_loop.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "http_test_server.h"
#include "test_support.h"

using namespace isrgen::net;
using isrgen::testing::HttpTestServer;
using isrgen::testing::RefusingPort;
using isrgen::testing::TestRequest;
using isrgen::testing::TestResponse;

namespace {

// A request with the policy it runs under.
struct Exchange {
  Request request;
  TransferPolicy policy;
};

// A GET that follows redirects, with a short backoff so no test waits on it,
// and a timeout that only a broken test would reach.
Exchange get(std::string url) {
  Exchange exchange;
  exchange.request.url = std::move(url);
  exchange.policy.retry_delay_ms = 1;
  exchange.policy.timeout_ms = 20'000;
  exchange.policy.follow_redirects = true;
  return exchange;
}

std::vector<Response> run_all(const std::vector<Exchange>& exchanges, const LoopOptions& options = {}) {
  std::vector<Request> requests;
  std::vector<TransferPolicy> policies;
  for (const Exchange& exchange : exchanges) {
    requests.push_back(exchange.request);
    policies.push_back(exchange.policy);
  }
  std::vector<Response> responses(exchanges.size());
  std::vector<int> reports(exchanges.size(), 0);
  run_transfers(requests, policies, options, [&](size_t index, Response response) {
    ++reports.at(index);
    responses.at(index) = std::move(response);
  });
  CHECK(reports == std::vector<int>(exchanges.size(), 1));  // each request reported once
  return responses;
}

Response run(const Exchange& exchange, const LoopOptions& options = {}) { return run_all({exchange}, options).at(0); }

// A transfer failure: no status, no body, the error a user would read.
void check_failed(const Response& response, const std::string& error, int attempts) {
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

TestResponse redirect(int status, std::string location) {
  TestResponse moved = with_status(status, "moved");
  moved.headers = {{"Location", std::move(location)}};
  return moved;
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

TEST_CASE("transfer loop returns the status, body and headers of the answer") {
  HttpTestServer server;
  server.on("/jobs", [](const TestRequest&) {
    TestResponse response = TestResponse::json(R"([{"id":1}])");
    response.headers.emplace_back("ETag", "\"v1\"");
    return response;
  });
  Exchange exchange = get(server.url("/jobs"));
  exchange.request.headers = {{"Accept", "application/json"}};
  Response response = run(exchange);
  CHECK(response.ok());
  CHECK(response.status == 200);
  CHECK(response.body == R"([{"id":1}])");
  CHECK(response.headers.at("etag") == "\"v1\"");
  CHECK(response.header("Content-Type") == "application/json");
  CHECK(response.header("X-Absent").empty());
  CHECK(response.attempts == 1);
  CHECK(response.elapsed_ms >= 0);
  TestRequest sent = server.requests().at(0);
  CHECK(sent.method == "GET");
  CHECK(sent.header("Accept") == "application/json");
  CHECK(sent.header("User-Agent").rfind("isrgen/", 0) == 0);
  CHECK_FALSE(sent.has_header("Accept-Encoding"));  // compression only when asked for
}

TEST_CASE("transfer loop retries a 500 and keeps the connection") {
  HttpTestServer server;
  std::atomic<int> calls = 0;
  server.on("/flaky", [&](const TestRequest&) {
    return ++calls == 1 ? with_status(500, "try again") : TestResponse::json("[]");
  });
  Response response = run(get(server.url("/flaky")));
  CHECK(response.status == 200);
  CHECK(response.body == "[]");
  CHECK(response.attempts == 2);
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].connection == requests[1].connection);
}

TEST_CASE("transfer loop gives up on a lasting 5xx after its retries and reports the status") {
  HttpTestServer server;
  server.on("/down", [](const TestRequest&) { return with_status(503, "maintenance"); });
  Exchange exchange = get(server.url("/down"));
  exchange.policy.retries = 2;
  Response response = run(exchange);
  CHECK(response.status == 503);
  CHECK(response.error.empty());
  CHECK_FALSE(response.ok());
  CHECK(response.describe() == "HTTP 503: maintenance");
  CHECK(response.body == "maintenance");
  CHECK(response.attempts == 3);
  CHECK(server.request_count() == 3);
}

TEST_CASE("transfer loop retries a 429 with a doubling backoff") {
  HttpTestServer server;
  std::atomic<int> calls = 0;
  server.on("/busy", [&](const TestRequest&) { return ++calls <= 2 ? with_status(429) : TestResponse::json("[]"); });
  std::vector<int64_t> ceilings;
  LoopOptions options;
  options.random = [&](int64_t upper) {
    ceilings.push_back(upper);
    return int64_t{0};
  };
  Exchange exchange = get(server.url("/busy"));
  exchange.policy.retry_delay_ms = 40;
  Response response = run(exchange, options);
  CHECK(response.status == 200);
  CHECK(response.attempts == 3);
  CHECK(ceilings == std::vector<int64_t>{40, 80});
}

TEST_CASE("transfer loop does not retry other 4xx") {
  HttpTestServer server;
  server.on("/secret", [](const TestRequest&) { return with_status(403); });
  Response missing = run(get(server.url("/missing")));
  Response forbidden = run(get(server.url("/secret")));
  CHECK(missing.status == 404);
  CHECK(missing.attempts == 1);
  CHECK(forbidden.status == 403);
  CHECK(forbidden.attempts == 1);
  CHECK(missing.error.empty());
  CHECK(server.request_count() == 2);
}

TEST_CASE("transfer loop times out on a server that never answers, naming the setting when there is one") {
  HttpTestServer server;
  server.on("/hang", [](const TestRequest&) { return TestResponse::hanging(); });
  Exchange exchange = get(server.url("/hang"));
  exchange.policy.timeout_ms = 200;
  exchange.policy.retries = 0;
  check_failed(run(exchange), "timed out after 200 ms", 1);
  exchange.policy.settings.timeout = "timeout";
  check_failed(run(exchange), "timed out after 200 ms (raise timeout)", 1);
}

TEST_CASE("transfer loop ends an attempt that moves nothing for the low-speed time") {
  HttpTestServer server;
  server.on("/hang", [](const TestRequest&) { return TestResponse::hanging(); });
  Exchange exchange = get(server.url("/hang"));
  exchange.policy.timeout_ms = 0;  // no limit on the whole attempt, as for uploads
  exchange.policy.low_speed_timeout_ms = 1'000;
  exchange.policy.retries = 0;
  check_failed(run(exchange), "127.0.0.1 sent or took nothing for 1 s", 1);
}

TEST_CASE("transfer loop reports and retries a refused connection") {
  RefusingPort closed;
  Exchange exchange = get(closed.url("/jobs"));
  exchange.policy.retries = 1;
  check_failed(run(exchange), "could not connect to 127.0.0.1: Connection refused", 2);
}

TEST_CASE("transfer loop runs every retry that falls due while its one slot is taken") {
  // Both first attempts fail at once; each retry waits the same backoff, so
  // the second falls due while the first one's retry holds the only slot,
  // and must still run after that retry, its request's last, ends.
  RefusingPort closed;
  std::vector<Exchange> exchanges(2, get(closed.url("/jobs")));
  for (Exchange& exchange : exchanges) {
    exchange.policy.retries = 1;
    exchange.policy.retry_delay_ms = 20;
  }
  LoopOptions options;
  options.max_parallel = 1;
  options.random = [](int64_t upper) { return upper; };  // no jitter: the whole backoff
  for (const Response& response : run_all(exchanges, options))
    check_failed(response, "could not connect to 127.0.0.1: Connection refused", 2);
}

TEST_CASE("transfer loop refuses a body over max_bytes, whatever its framing") {
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
    Exchange exchange = get(server.url(path));
    exchange.request.accept_compressed = true;
    exchange.policy.max_bytes = 1 << 20;
    // Too large stays too large: no retry.
    check_failed(run(exchange), "response over 1 MiB", 1);
    exchange.policy.settings.max_bytes = "max_bytes";
    check_failed(run(exchange), "response over 1 MiB (raise max_bytes)", 1);
  }
}

TEST_CASE("transfer loop takes a body of exactly max_bytes") {
  HttpTestServer server;
  server.on("/exact", [](const TestRequest&) {
    TestResponse response = TestResponse::json(std::string(1000, 'x'));
    response.chunked = true;
    return response;
  });
  Exchange exchange = get(server.url("/exact"));
  exchange.policy.max_bytes = 1000;
  Response response = run(exchange);
  CHECK(response.status == 200);
  CHECK(response.body.size() == 1000);
}

TEST_CASE("transfer loop asks for compression when told to and decodes a gzip body") {
  HttpTestServer server;
  server.on("/gz", [](const TestRequest&) {
    TestResponse response = TestResponse::json(R"([{"id":"a"},{"id":"b"}])");
    response.gzip = true;
    return response;
  });
  Exchange exchange = get(server.url("/gz"));
  exchange.request.accept_compressed = true;
  Response response = run(exchange);
  CHECK(response.status == 200);
  CHECK(response.body == R"([{"id":"a"},{"id":"b"}])");
  CHECK(server.requests().at(0).header("Accept-Encoding").find("gzip") != std::string::npos);
}

TEST_CASE("transfer loop sends headers, then credential headers, an empty one too") {
  HttpTestServer server;
  server.on("/jobs", [](const TestRequest&) { return TestResponse::json("[]"); });
  Exchange exchange = get(server.url("/jobs"));
  exchange.request.headers = {{"Accept", "application/vnd.jobs+json"}};
  exchange.request.credential_headers = {{"Authorization", "Bearer s3cret"}, {"X-Empty", ""}};
  REQUIRE(run(exchange).status == 200);
  TestRequest sent = server.requests().at(0);
  CHECK(sent.header("Authorization") == "Bearer s3cret");
  CHECK(sent.header("Accept") == "application/vnd.jobs+json");
  CHECK(sent.has_header("X-Empty"));
}

TEST_CASE("transfer loop refuses a header that would split the request, without quoting its value") {
  HttpTestServer server;
  for (bool credential : {false, true}) {
    Exchange exchange = get(server.url("/jobs"));
    (credential ? exchange.request.credential_headers : exchange.request.headers) = {
        {"Authorization", "Bearer s3cret\r\nX-Injected: 1"}};
    Response response = run(exchange);
    CHECK(response.status == 0);
    CHECK(response.attempts == 0);
    CHECK(response.error == "header 'Authorization' is not a valid HTTP header (a line break or ':' in it?)");
  }
  CHECK(server.request_count() == 0);
}

TEST_CASE("transfer loop follows redirects and keeps only the last response") {
  HttpTestServer server;
  server.on("/old", [&](const TestRequest&) {
    TestResponse moved = redirect(301, "/new");
    moved.headers.emplace_back("ETag", "\"old\"");
    return moved;
  });
  server.on("/new", [](const TestRequest&) {
    TestResponse response = TestResponse::json("[]");
    response.headers.emplace_back("ETag", "\"new\"");
    return response;
  });
  Response response = run(get(server.url("/old")));
  CHECK(response.status == 200);
  CHECK(response.body == "[]");
  CHECK(response.header("ETag") == "\"new\"");
  CHECK(server.request_count() == 2);
}

TEST_CASE("transfer loop without credentials follows a redirect to another host") {
  HttpTestServer server;
  HttpTestServer other("127.0.0.2");
  server.on("/away", [&](const TestRequest&) { return redirect(302, other.url("/there")); });
  other.on("/there", [](const TestRequest&) { return TestResponse::json("[]"); });
  Exchange exchange = get(server.url("/away"));
  exchange.request.headers = {{"Accept", "application/json"}, {"If-None-Match", "\"v1\""}};
  Response response = run(exchange);
  CHECK(response.status == 200);
  CHECK(response.body == "[]");
  REQUIRE(other.request_count() == 1);
  CHECK(other.requests().at(0).header("If-None-Match") == "\"v1\"");
}

// libcurl 7.88 itself, following redirects, sends every header of
// CURLOPT_HTTPHEADER but Authorization on to another host. isrgen judges
// each hop instead.
TEST_CASE("transfer loop never takes credentials to another origin a redirect names") {
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
  // Each credential alone, whether the caller marked it or not.
  struct Carried {
    bool marked;
    std::string name;
  };
  const std::vector<Carried> credentials = {{true, "X-Api-Key"},  {true, "X-Tenant-Token"}, {false, "X-Api-Key"},
                                            {false, "Authorization"}, {false, "Cookie"},    {false, "Proxy-Authorization"}};
  for (const auto& [location, to] : elsewhere) {
    server.on("/jobs", [location = location](const TestRequest&) { return redirect(302, location); });
    for (const Carried& carried : credentials) {
      INFO(location << " " << carried.name << (carried.marked ? " (marked)" : ""));
      Exchange exchange = get(server.url("/jobs"));
      (carried.marked ? exchange.request.credential_headers : exchange.request.headers) = {{carried.name, "k-12345"}};
      Response response = run(exchange);
      check_failed(response,
                   "redirect from " + from + " to another origin, " + to + ", refused: the request carries credentials (" +
                       carried.name + "), which stay with its own origin (if the new address is trusted, use it as "
                                      "the url)",
                   1);
    }
  }
  // A password in the url is a credential too.
  server.on("/jobs", [&](const TestRequest&) { return redirect(302, other_host.url("/")); });
  Response with_password = run(get("http://reader:pw-678@127.0.0.1:" + std::to_string(server.port()) + "/jobs"));
  CHECK(with_password.status == 0);
  CHECK(with_password.error.starts_with("redirect from " + from + " to another origin, http://127.0.0.2:"));
  CHECK(with_password.error.find("a user or password in the url") != std::string::npos);
  CHECK(with_password.error.find("pw-678") == std::string::npos);
  CHECK(other_host.request_count() == 0);
  CHECK(other_port.request_count() == 0);
}

TEST_CASE("transfer loop follows a redirect within the origin with the credentials") {
  HttpTestServer server;
  std::atomic<int> new_calls{0};
  server.on("/old", [](const TestRequest&) { return redirect(301, "/new"); });
  server.on("/new", [&](const TestRequest&) {
    // Once unavailable: the retry starts over at the url asked for.
    if (++new_calls == 1) return with_status(503);
    TestResponse response = TestResponse::json("[]");
    response.headers.emplace_back("ETag", "\"new\"");
    return response;
  });
  server.on("/loop", [](const TestRequest&) { return redirect(307, "/loop"); });
  Exchange exchange = get(server.url("/old"));
  exchange.request.credential_headers = {{"X-Api-Key", "k-12345"}};
  Response response = run(exchange);
  CHECK(response.status == 200);
  CHECK(response.body == "[]");
  CHECK(response.header("ETag") == "\"new\"");
  CHECK(response.attempts == 2);
  std::vector<std::string> paths;
  for (const TestRequest& sent : server.requests()) {
    paths.push_back(sent.path());
    CHECK(sent.header("X-Api-Key") == "k-12345");
  }
  CHECK(paths == std::vector<std::string>{"/old", "/new", "/old", "/new"});

  exchange.request.url = server.url("/loop");
  check_failed(run(exchange), "more than 5 redirects (check the url)", 1);
}

TEST_CASE("transfer loop stops at a redirect loop and at a redirect to another protocol") {
  HttpTestServer server;
  server.on("/loop", [](const TestRequest&) { return redirect(302, "/loop"); });
  server.on("/file", [](const TestRequest&) { return redirect(302, "file:///etc/passwd"); });
  check_failed(run(get(server.url("/loop"))), "more than 5 redirects (check the url)", 1);
  CHECK(server.request_count() == 6);  // the first request and 5 hops
  Response file = run(get(server.url("/file")));
  CHECK(file.status == 0);
  CHECK(file.error.find("only http and https") != std::string::npos);
}

TEST_CASE("transfer loop under a policy that follows no redirect answers with it, or refuses one elsewhere") {
  HttpTestServer server;
  HttpTestServer other("127.0.0.2");
  other.on("/", [](const TestRequest&) { return TestResponse{}; });
  server.on("/moved", [](const TestRequest&) { return redirect(301, "/here"); });
  server.on("/away", [&](const TestRequest&) { return redirect(307, other.url("/")); });
  Exchange exchange = get(server.url("/moved"));
  exchange.policy.follow_redirects = false;
  Response moved = run(exchange);
  CHECK(moved.status == 301);
  CHECK(moved.error.empty());
  CHECK(moved.header("Location") == "/here");
  exchange.request.url = server.url("/away");
  Response away = run(exchange);
  CHECK(away.status == 0);
  CHECK(away.error.find("refused: the request follows no redirect to another origin") != std::string::npos);
  // A POST is never followed, whatever its policy says.
  Exchange post = get(server.url("/moved"));
  post.request.method = "POST";
  post.request.body = "{}";
  CHECK(run(post).status == 301);
  CHECK(other.request_count() == 0);
  CHECK(server.request_count() == 3);
}

TEST_CASE("transfer loop sends bodies from memory and from files, and retries them whole") {
  HttpTestServer server;
  // Each body is refused the first time it arrives, so each is sent twice.
  std::mutex mutex;
  std::set<std::string> seen;
  server.on("/put", [&](const TestRequest& request) {
    std::lock_guard lock(mutex);
    return seen.insert(request.body).second ? with_status(503) : TestResponse{};
  });
  isrgen::testing::ScratchDir dir;
  std::string large;
  for (int i = 0; large.size() < 300'000; ++i) large += "chunk " + std::to_string(i) + "\n";
  isrgen::testing::write_text(dir.path() / "body.txt", large);
  std::vector<Exchange> exchanges(4, get(server.url("/put")));
  for (Exchange& exchange : exchanges) exchange.request.method = "PUT";
  exchanges[0].request.body = "small";
  exchanges[1].request.body = "";
  exchanges[2].request.body_file = dir.path() / "body.txt";
  exchanges[3].request.body_file = dir.path() / "missing.txt";  // fails without connecting, once
  std::vector<Response> responses = run_all(exchanges);
  for (int i = 0; i < 3; ++i) {
    INFO(i);
    CHECK(responses[i].ok());
    CHECK(responses[i].attempts == 2);
  }
  CHECK(responses[3].status == 0);
  CHECK(responses[3].attempts == 1);
  CHECK(responses[3].error == "cannot read " + (dir.path() / "missing.txt").string() + ": No such file or directory");
  std::multiset<std::string> bodies;
  for (const TestRequest& sent : server.requests()) {
    CHECK(sent.method == "PUT");
    bodies.insert(sent.body);
  }
  CHECK(bodies == std::multiset<std::string>{"small", "small", "", "", large, large});
}

TEST_CASE("transfer loop runs a batch in parallel") {
  // Each handler answers only once both requests are in: fetching one after
  // the other could never get both answers.
  HttpTestServer server;
  Rendezvous both(2);
  server.on("/a", [&](const TestRequest&) { return both.arrive_and_wait() ? TestResponse::json("a") : with_status(504); });
  server.on("/b", [&](const TestRequest&) { return both.arrive_and_wait() ? TestResponse::json("b") : with_status(504); });
  Exchange a = get(server.url("/a")), b = get(server.url("/b"));
  a.policy.retries = b.policy.retries = 0;
  std::vector<Response> responses = run_all({a, b});
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].status == 200);
  CHECK(responses[0].body == "a");
  CHECK(responses[1].status == 200);
  CHECK(responses[1].body == "b");
}

TEST_CASE("transfer loop answers a batch larger than its parallel limit, each under its own index") {
  HttpTestServer server;
  std::atomic<int> calls = 0;
  std::vector<Exchange> exchanges;
  for (int i = 0; i < 20; ++i) {
    std::string path = "/item/" + std::to_string(i);
    // Every third request fails once, so retries interleave with first attempts.
    server.on(path, [&calls, i, failed = std::make_shared<std::atomic<bool>>(false)](const TestRequest&) {
      ++calls;
      if (i % 3 == 0 && !failed->exchange(true)) return with_status(502);
      return TestResponse::json(std::to_string(i));
    });
    exchanges.push_back(get(server.url(path)));
  }
  std::vector<Response> responses = run_all(exchanges, LoopOptions{4, kMaxRetryDelayMs, {}, {}});
  REQUIRE(responses.size() == 20);
  for (int i = 0; i < 20; ++i) {
    INFO(i);
    CHECK(responses[i].status == 200);
    CHECK(responses[i].body == std::to_string(i));
    CHECK(responses[i].attempts == (i % 3 == 0 ? 2 : 1));
  }
  CHECK(calls == 27);
  CHECK(run_all({}).empty());
}

TEST_CASE("transfer loop runs every request under one shared policy") {
  HttpTestServer server;
  server.on("/down", [](const TestRequest&) { return with_status(500); });
  TransferPolicy policy;
  policy.retries = 1;
  policy.retry_delay_ms = 0;
  Request request;
  request.url = server.url("/down");
  std::vector<int> attempts(3, 0);
  run_transfers({request, request, request}, policy, {},
                [&](size_t index, Response response) { attempts.at(index) = response.attempts; });
  CHECK(attempts == std::vector<int>{2, 2, 2});
  CHECK(server.request_count() == 6);
}

TEST_CASE("transfer loop waits as long as Retry-After asks, within its cap") {
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
  LoopOptions options;
  options.max_retry_delay_ms = 150;
  Response response = run(get(server.url("/later")), options);
  CHECK(response.status == 200);
  CHECK(response.attempts == 2);
  CHECK(response.elapsed_ms >= 150);
}

TEST_CASE("transfer loop finishes a transfer libcurl refuses to start, and the rest of the batch") {
  HttpTestServer server;
  server.on("/a", [](const TestRequest&) { return TestResponse::json("a"); });
  server.on("/b", [](const TestRequest&) { return TestResponse::json("b"); });
  std::atomic<int> starts = 0;
  LoopOptions options;
  options.max_parallel = 1;  // the refused start must free its slot for the next request
  options.add_handle = [&](CURLM* multi, CURL* easy) {
    // The first request's start is refused; the others start as usual.
    if (++starts == 1) return CURLM_OUT_OF_MEMORY;
    return curl_multi_add_handle(multi, easy);
  };
  Exchange refused = get(server.url("/a"));
  refused.policy.retries = 3;  // a refused start is no transient failure: not retried
  std::vector<Response> responses = run_all({refused, get(server.url("/b"))}, options);
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

TEST_CASE("transfer loop counts a transfer's time from its first attempt, not from the batch's start") {
  // One transfer at a time: the second waits in the queue while the first
  // runs into its timeout. Its own exchange starts only then.
  HttpTestServer server;
  server.on("/hang", [](const TestRequest&) { return TestResponse::hanging(); });
  server.on("/quick", [](const TestRequest&) { return TestResponse::json("[]"); });
  Exchange slow = get(server.url("/hang"));
  slow.policy.timeout_ms = 200;
  slow.policy.retries = 0;
  LoopOptions options;
  options.max_parallel = 1;
  auto batch_start = std::chrono::steady_clock::now();
  std::vector<Response> responses = run_all({slow, get(server.url("/quick"))}, options);
  auto batch_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - batch_start).count();
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].error == "timed out after 200 ms");
  CHECK(responses[0].elapsed_ms >= 200);
  CHECK(responses[1].status == 200);
  // One after the other, so their times add up to at most the batch's (each
  // is rounded down; 2 ms of slack for that). Counting the queueing, the
  // second alone would take nearly all of it.
  CHECK(responses[0].elapsed_ms + responses[1].elapsed_ms <= batch_ms + 2);
}
