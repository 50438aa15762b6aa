// Each purge provider's exact request, sent to a loopback stand-in that checks
// it as the provider documents it (tests/cdn_mocks.h) and answers like it.
#include "publish/purge.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cdn_mocks.h"
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

namespace {

// Sends every call as the sync does, with short waits between retries.
std::vector<net::Response> send(const std::vector<net::Request>& calls, int retries = 3) {
  HttpRunOptions options;
  options.retries = retries;
  options.retry_delay_ms = 1;
  options.max_retry_delay_ms = 20;  // a Retry-After of seconds shrinks to this
  std::vector<net::Response> outcomes(calls.size());
  run_http_calls(calls, options, [&](size_t index, net::Response outcome) { outcomes[index] = std::move(outcome); });
  return outcomes;
}

PurgeRequest tags(int count) {
  PurgeRequest request;
  for (int i = 0; i < count; ++i) request.tags.push_back("page:t/" + std::to_string(i));
  return request;
}

PurgeRequest paths(int count) {
  PurgeRequest request;
  for (int i = 0; i < count; ++i) request.paths.push_back("/p" + std::to_string(i));
  return request;
}

}  // namespace

TEST_CASE("purge: CloudFront gets one signed CreateInvalidation of the paths, as its API documents it") {
  isrgen::testing::CloudFrontMock cloudfront("E2EXAMPLE", "AKID", "SECRET");
  PurgeConfig config;
  config.distribution_id = "E2EXAMPLE";
  config.endpoint = cloudfront.endpoint();
  S3Settings aws;
  aws.access_key_id = "AKID";
  aws.secret_access_key = "SECRET";
  auto calls = cloudfront_purge_calls(config, sample(), aws, "isrgen-1");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].aws_sigv4 == "aws:amz:us-east-1:cloudfront");
  CHECK(calls[0].body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
        "<CallerReference>isrgen-1</CallerReference>"
        "<Paths><Quantity>2</Quantity><Items><Path>/acme/</Path><Path>/acme/index.html</Path></Items></Paths>"
        "</InvalidationBatch>");
  auto outcomes = send(calls);
  CHECK(outcomes[0].status == 201);
  CHECK(outcomes[0].header("location").ends_with("/2020-05-31/distribution/E2EXAMPLE/invalidation/I1EXAMPLE"));
  CHECK(cloudfront.problems().empty());  // the signature checked with the secret, the XML as documented
  CHECK(cloudfront.purged() == sample().paths);

  // The stand-in does check the signature: one made with another secret is refused.
  isrgen::testing::CloudFrontMock other("E2EXAMPLE", "AKID", "OTHER-SECRET");
  config.endpoint = other.endpoint();
  CHECK(send(cloudfront_purge_calls(config, sample(), aws, "isrgen-1"))[0].status == 403);
  REQUIRE(other.problems().size() == 1);
  CHECK(other.problems()[0] == "SigV4: the signature does not match the request");

  // The provider's own API when no endpoint is set.
  config.endpoint.clear();
  CHECK(cloudfront_purge_calls(config, sample(), aws, "r")[0].url ==
        "https://cloudfront.amazonaws.com/2020-05-31/distribution/E2EXAMPLE/invalidation");
}

TEST_CASE("purge: CloudFront invalidates /* past max_paths or 3,000 paths, and TooManyInvalidationsInProgress fails") {
  isrgen::testing::CloudFrontMock cloudfront("E2X", "AKID", "SECRET");
  PurgeConfig config;
  config.distribution_id = "E2X";
  config.endpoint = cloudfront.endpoint();
  config.max_paths = 3;
  S3Settings aws;
  aws.access_key_id = "AKID";
  aws.secret_access_key = "SECRET";
  auto wildcard = cloudfront_purge_calls(config, paths(4), aws, "isrgen-2");
  REQUIRE(wildcard.size() == 1);
  CHECK(wildcard[0].body.find("<Quantity>1</Quantity><Items><Path>/*</Path></Items>") != std::string::npos);

  // A second invalidation of individual paths could pass the 3,000 in
  // progress: whatever max_paths says, more than 3,000 go as "/*".
  config.max_paths = 10000;
  CHECK(cloudfront_purge_calls(config, paths(3000), aws, "isrgen-3")[0].body.find("<Quantity>3000</Quantity>") !=
        std::string::npos);
  auto over = cloudfront_purge_calls(config, paths(3001), aws, "isrgen-4");
  REQUIRE(over.size() == 1);
  CHECK(over[0].body.find("<Quantity>1</Quantity><Items><Path>/*</Path>") != std::string::npos);

  CHECK(send(cloudfront_purge_calls(config, paths(3000), aws, "isrgen-5"))[0].ok());
  // With 3,000 paths in progress, the next invalidation is refused, as CloudFront does, and not retried.
  auto refused = send(cloudfront_purge_calls(config, paths(1), aws, "isrgen-6"));
  CHECK(refused[0].status == 400);
  CHECK(refused[0].attempts == 1);
  CHECK(refused[0].describe().find("TooManyInvalidationsInProgress") != std::string::npos);
  cloudfront.complete_all();
  CHECK(send(cloudfront_purge_calls(config, paths(1), aws, "isrgen-7"))[0].ok());
  CHECK(cloudfront.problems().empty());
  CHECK(cloudfront.caller_references() == std::vector<std::string>{"isrgen-5", "isrgen-7"});
}

TEST_CASE("purge: Fastly gets batch surrogate-key purges of 256 keys, soft unless soft = false") {
  isrgen::testing::FastlyMock fastly("SU1Z0isxPaozGVKXdv0eY", "fastly-token");
  PurgeConfig config;
  config.service_id = "SU1Z0isxPaozGVKXdv0eY";
  config.token = "fastly-token";
  config.endpoint = fastly.endpoint();
  auto calls = fastly_purge_calls(config, sample());
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].method == "POST");
  CHECK(credential(calls[0], "Fastly-Key") == "fastly-token");
  CHECK(header(calls[0], "Fastly-Soft-Purge") == "1");
  CHECK(json::parse(calls[0].body) == json{{"surrogate_keys", {"page:acme/index", "page:acme/summer"}}});

  auto many = fastly_purge_calls(config, tags(300));
  REQUIRE(many.size() == 2);  // 256 + 44
  for (const net::Response& outcome : send(many)) CHECK(outcome.ok());
  CHECK(fastly.problems().empty());
  CHECK(fastly.purged().size() == 300);
  CHECK(fastly.soft_requests() == 2);

  config.soft = false;
  config.batch_size = 100;
  auto hard = fastly_purge_calls(config, tags(300));
  CHECK(hard.size() == 3);
  CHECK(header(hard[0], "Fastly-Soft-Purge").empty());
  for (const net::Response& outcome : send(hard)) CHECK(outcome.ok());
  CHECK(fastly.soft_requests() == 2);

  config.endpoint.clear();
  CHECK(fastly_purge_calls(config, sample())[0].url == "https://api.fastly.com/service/SU1Z0isxPaozGVKXdv0eY/purge");
}

TEST_CASE("purge: Cloudflare gets purge_cache by tags, 100 a request or batch_size, and 429 waits for Retry-After") {
  isrgen::testing::CloudflareMock cloudflare("023e105f4ecef8ad9ca31a8372d0c353", "cf-token");
  PurgeConfig config;
  config.zone_id = "023e105f4ecef8ad9ca31a8372d0c353";
  config.token = "cf-token";
  config.endpoint = cloudflare.endpoint();
  auto calls = cloudflare_purge_calls(config, sample());
  REQUIRE(calls.size() == 1);
  CHECK(credential(calls[0], "Authorization") == "Bearer cf-token");
  CHECK(json::parse(calls[0].body) == json{{"tags", {"page:acme/index", "page:acme/summer"}}});
  CHECK(cloudflare_purge_calls(config, PurgeRequest{{"/only-paths"}, {}}).empty());

  auto many = cloudflare_purge_calls(config, tags(250));
  REQUIRE(many.size() == 3);  // 100 + 100 + 50
  cloudflare.throttle_next(2, 30);
  auto outcomes = send(many);
  for (const net::Response& outcome : outcomes) CHECK(outcome.ok());
  CHECK(outcomes[0].attempts + outcomes[1].attempts + outcomes[2].attempts == 5);  // two answered 429 first
  CHECK(cloudflare.request_count() == 5);
  CHECK(cloudflare.purged().size() == 250);
  CHECK(cloudflare.problems().empty());

  // Rate limited past the retries: the purge fails (and the sync keeps it pending).
  cloudflare.throttle_next(10);
  auto limited = send(cloudflare_purge_calls(config, sample()), 1);
  CHECK(limited[0].status == 429);
  CHECK(limited[0].attempts == 2);

  config.endpoint.clear();
  CHECK(cloudflare_purge_calls(config, sample())[0].url ==
        "https://api.cloudflare.com/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache");
}

TEST_CASE("purge: a Cloudflare 200 whose envelope says success: false is a refusal, and its error is named") {
  auto answer = [](std::string body) {
    net::Response response;
    response.status = 200;
    response.body = std::move(body);
    return response;
  };
  CHECK(purge_answer_refusal("cloudflare", answer(R"({"success":true,"errors":[],"messages":[],"result":{"id":"x"}})")) ==
        std::nullopt);
  CHECK(purge_answer_refusal("cloudflare",
                             answer(R"({"success":false,"errors":[{"code":1134,"message":"Zone not found"}]})")) ==
        "Cloudflare answered success: false (1134): Zone not found");
  CHECK(purge_answer_refusal("cloudflare", answer(R"({"result":null})")) == "Cloudflare answered success: false");
  CHECK(purge_answer_refusal("cloudflare", answer("<html>maintenance</html>")) ==
        "HTTP 200 without Cloudflare's JSON envelope");
  CHECK(purge_answer_refusal("cloudflare", answer(std::string(100, '[') + std::string(100, ']'))) ==
        "HTTP 200 with an answer nested deeper than 32");
  // The other providers say it with the status alone.
  CHECK(purge_answer_refusal("fastly", answer("{}")) == std::nullopt);
  CHECK(purge_answer_refusal("cloudfront", answer("")) == std::nullopt);
}

TEST_CASE("purge: a plan's smaller Cloudflare limit is met with batch_size") {
  isrgen::testing::CloudflareMock cloudflare("zone", "cf-token", 30);
  PurgeConfig config;
  config.zone_id = "zone";
  config.token = "cf-token";
  config.endpoint = cloudflare.endpoint();
  auto too_big = send(cloudflare_purge_calls(config, tags(40)));
  CHECK(too_big[0].status == 400);  // 40 tags where the plan takes 30
  CHECK(cloudflare.problems().size() == 1);
  config.batch_size = 30;
  auto fitting = cloudflare_purge_calls(config, tags(40));
  REQUIRE(fitting.size() == 2);
  for (const net::Response& outcome : send(fitting)) CHECK(outcome.ok());
  CHECK(cloudflare.purged().size() == 40);
}
