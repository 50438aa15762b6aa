// Each purge provider's exact request; the webhook also against a loopback server.
#include "publish/purge.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http_test_server.h"
#include "serve/webhook_auth.h"
#include "util/clock.h"

using namespace isrgen;
using namespace isrgen::publish;
using isrgen::testing::HttpTestServer;
using isrgen::testing::TestRequest;
using isrgen::testing::TestResponse;
using nlohmann::json;

namespace {

PurgeRequest sample() { return {{"/acme/", "/acme/index.html"}, {"page:acme/index", "page:acme/summer"}}; }

std::string find(const isrgen::HeaderFields& headers, const std::string& name) {
  for (const auto& [header_name, value] : headers)
    if (header_name == name) return value;
  return "";
}

std::string header(const net::Request& call, const std::string& name) { return find(call.headers, name); }

// A token travels as a credential: never to another origin, never in a message.
std::string credential(const net::Request& call, const std::string& name) {
  CHECK(header(call, name).empty());
  return find(call.credential_headers, name);
}

}  // namespace

TEST_CASE("purge: paths of changed objects and folders, page tags only") {
  DeployedObject page;
  page.key = "acme/summer/index.html";
  page.tags = {"page:acme/summer", "tenant:acme", "models:m-1"};
  DeployedObject asset;
  asset.key = "acme/app.js";
  PurgeRequest request = purge_request_for({page, asset});
  CHECK(request.paths == std::vector<std::string>{"/acme/app.js", "/acme/summer/", "/acme/summer/index.html"});
  CHECK(request.tags == std::vector<std::string>{"page:acme/summer"});
}

TEST_CASE("purge: the webhook POSTs paths and tags signed with a timestamped HMAC-SHA256 that isrgen serve accepts") {
  HttpTestServer server;
  server.on("/purge", [](const TestRequest&) { return TestResponse{}; });
  PurgeConfig config;
  config.provider = "webhook";
  config.url = server.url("/purge");
  config.secret = "s3cret";
  isrgen::ManualClock clock(1'790'000'000'123);
  auto calls = webhook_purge_calls(config, sample(), clock);
  REQUIRE(calls.size() == 1);
  net::Response outcome = run_http_call(calls[0], {});
  REQUIRE(outcome.ok());
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/purge");
  CHECK(requests[0].header("content-type") == "application/json");
  CHECK(json::parse(requests[0].body) ==
        json{{"paths", {"/acme/", "/acme/index.html"}}, {"tags", {"page:acme/index", "page:acme/summer"}}});
  // What a receiver checks: the timestamped HMAC of the raw body with the shared
  // secret, by isrgen serve's own check (not the sender's code run again).
  CHECK(requests[0].header("x-isrgen-signature").starts_with("t=1790000000,v1="));
  CHECK(isrgen::serve::authenticate_webhook(requests[0].body, requests[0].headers, "s3cret", clock).ok());
  CHECK_FALSE(isrgen::serve::authenticate_webhook(requests[0].body, requests[0].headers, "other", clock).ok());
  // A captured request replayed later is refused.
  isrgen::ManualClock later(1'790'000'000'123 + (isrgen::serve::kDefaultSignatureToleranceSeconds + 1) * 1000);
  CHECK_FALSE(isrgen::serve::authenticate_webhook(requests[0].body, requests[0].headers, "s3cret", later).ok());
}

TEST_CASE("purge: CloudFront invalidates paths in batches, or /* over the threshold") {
  PurgeConfig config;
  config.distribution_id = "E2EXAMPLE";
  config.max_paths = 3;
  S3Settings aws;
  aws.access_key_id = "AKID";
  aws.secret_access_key = "SECRET";
  auto calls = cloudfront_purge_calls(config, sample(), aws, "isrgen-1");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].method == "POST");
  CHECK(calls[0].url == "https://cloudfront.amazonaws.com/2020-05-31/distribution/E2EXAMPLE/invalidation");
  CHECK(calls[0].aws_sigv4 == "aws:amz:us-east-1:cloudfront");
  CHECK(calls[0].aws_credentials == "AKID:SECRET");
  CHECK(header(calls[0], "Content-Type") == "application/xml");
  CHECK(calls[0].body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
        "<CallerReference>isrgen-1-0</CallerReference>"
        "<Paths><Quantity>2</Quantity><Items><Path>/acme/</Path><Path>/acme/index.html</Path></Items></Paths>"
        "</InvalidationBatch>");

  PurgeRequest many;
  for (int i = 0; i < 4; ++i) many.paths.push_back("/p" + std::to_string(i));
  auto fallback = cloudfront_purge_calls(config, many, aws, "isrgen-2");
  REQUIRE(fallback.size() == 1);
  CHECK(fallback[0].body.find("<Quantity>1</Quantity><Items><Path>/*</Path></Items>") != std::string::npos);

  config.max_paths = 10000;
  PurgeRequest huge;
  for (int i = 0; i < 3001; ++i) huge.paths.push_back("/p" + std::to_string(i));
  auto batches = cloudfront_purge_calls(config, huge, aws, "isrgen-3");
  REQUIRE(batches.size() == 2);
  CHECK(batches[0].body.find("<Quantity>3000</Quantity>") != std::string::npos);
  CHECK(batches[1].body.find("<CallerReference>isrgen-3-1</CallerReference><Paths><Quantity>1</Quantity>") !=
        std::string::npos);
}

TEST_CASE("purge: Fastly purges surrogate keys, 256 per request") {
  PurgeConfig config;
  config.service_id = "SU1Z0isxPaozGVKXdv0eY";
  config.token = "fastly-token";
  auto calls = fastly_purge_calls(config, sample());
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].method == "POST");
  CHECK(calls[0].url == "https://api.fastly.com/service/SU1Z0isxPaozGVKXdv0eY/purge");
  CHECK(credential(calls[0], "Fastly-Key") == "fastly-token");
  CHECK(header(calls[0], "Surrogate-Key") == "page:acme/index page:acme/summer");
  CHECK(calls[0].body.empty());

  PurgeRequest many;
  for (int i = 0; i < 300; ++i) many.tags.push_back("page:t/" + std::to_string(i));
  CHECK(fastly_purge_calls(config, many).size() == 2);
}

TEST_CASE("purge: Cloudflare purges by tag, 30 per request") {
  PurgeConfig config;
  config.zone_id = "023e105f4ecef8ad9ca31a8372d0c353";
  config.token = "cf-token";
  auto calls = cloudflare_purge_calls(config, sample());
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].method == "POST");
  CHECK(calls[0].url == "https://api.cloudflare.com/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache");
  CHECK(credential(calls[0], "Authorization") == "Bearer cf-token");
  CHECK(header(calls[0], "Content-Type") == "application/json");
  CHECK(json::parse(calls[0].body) == json{{"tags", {"page:acme/index", "page:acme/summer"}}});

  PurgeRequest many;
  for (int i = 0; i < 61; ++i) many.tags.push_back("t" + std::to_string(i));
  CHECK(cloudflare_purge_calls(config, many).size() == 3);
  CHECK(cloudflare_purge_calls(config, PurgeRequest{{"/only-paths"}, {}}).empty());
}
