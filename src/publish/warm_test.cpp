// Cache warming against a loopback server: every URL fetched once, no more at
// once than asked, and the budget (on an injected clock) skips the rest.
#include "publish/warm.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <nlohmann/json.hpp>

#include "http_test_server.h"
#include "test_support.h"

using namespace isrgen;
using namespace isrgen::publish;
using isrgen::testing::HttpTestServer;
using isrgen::testing::TestRequest;
using isrgen::testing::TestResponse;

TEST_CASE("warm: each URL is fetched once, within the concurrency, with its status and time") {
  HttpTestServer server;
  std::atomic<int> in_flight{0}, most_in_flight{0};
  auto page = [&](const TestRequest&) {
    int now = ++in_flight;
    for (int seen = most_in_flight.load(); now > seen && !most_in_flight.compare_exchange_weak(seen, now);) {
    }
    --in_flight;
    return TestResponse{200, {}, "<h1>page</h1>"};
  };
  std::vector<std::string> urls;
  for (int i = 0; i < 7; ++i) {
    server.on("/p" + std::to_string(i) + "/", page);
    urls.push_back(server.url("/p" + std::to_string(i) + "/"));
  }
  server.on("/gone/", [](const TestRequest&) { return TestResponse{404, {}, "no"}; });
  urls.push_back(server.url("/gone/"));

  WarmConfig config;
  config.enabled = true;
  config.concurrency = 2;
  ManualClock clock(1'000'000);
  auto warmed = warm_urls(urls, config, clock);
  REQUIRE(warmed.size() == 8);
  for (size_t i = 0; i < 7; ++i) {
    CHECK(warmed[i].url == urls[i]);
    CHECK(warmed[i].outcome == "warmed");
    CHECK(warmed[i].status == 200);
    CHECK(warmed[i].ms >= 0);
  }
  CHECK(warmed[7].outcome == "failed");
  CHECK(warmed[7].status == 404);
  CHECK(warmed[7].error == "HTTP 404");
  CHECK(server.request_count() == 8);
  for (const TestRequest& request : server.requests()) CHECK(request.method == "GET");
  CHECK(most_in_flight.load() <= 2);
}

TEST_CASE("warm: once the budget is spent, the URLs not started are skipped") {
  HttpTestServer server;
  ManualClock clock(1'000'000);
  // Each answer takes 400 ms of the injected clock: a budget of 1 s covers
  // three waves of one GET each (0, 400, 800 ms), not the fourth (1,200 ms).
  server.on("/slow/", [&](const TestRequest&) {
    clock.advance_ms(400);
    return TestResponse{200, {}, "ok"};
  });
  WarmConfig config;
  config.concurrency = 1;
  config.budget_ms = 1'000;
  std::vector<std::string> urls(5, server.url("/slow/"));
  auto warmed = warm_urls(urls, config, clock);
  REQUIRE(warmed.size() == 5);
  CHECK(warmed[2].outcome == "warmed");
  CHECK(warmed[3].outcome == "skipped");
  CHECK(warmed[3].error == "the warm budget was spent");
  CHECK(warmed[4].outcome == "skipped");
  CHECK(server.request_count() == 3);
}

TEST_CASE("warm: a page's public URL is the permalink beside it, and a page without one is skipped") {
  isrgen::testing::ScratchDir dir;
  isrgen::testing::write_text(dir.path() / "acme/summer/index.metadata.json",
                              nlohmann::json{{"permalink", "https://acme.example/summer/"}}.dump());
  isrgen::testing::write_text(dir.path() / "beta/index.metadata.json", nlohmann::json{{"permalink", "/"}}.dump());
  std::vector<WarmedUrl> unreachable;
  auto urls = public_urls_of_pages(dir.path(), {"acme/summer/index.html", "beta/index.html", "gone/index.html"},
                                   unreachable);
  CHECK(urls == std::vector<std::string>{"https://acme.example/summer/"});
  REQUIRE(unreachable.size() == 2);
  CHECK(unreachable[0].url == "beta/index.html");
  CHECK(unreachable[0].outcome == "skipped");
  CHECK(unreachable[1].url == "gone/index.html");
}
