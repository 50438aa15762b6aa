// POST /revalidate without a socket: every answer the endpoint gives, and
// what each leaves in the durable queue.
#include "serve/revalidate_endpoint.h"

#include <future>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "serve/job_committer.h"
#include "test_support.h"
#include "util/hmac.h"

using namespace isrgen;
using namespace isrgen::serve;
using isrgen::testing::ScratchDir;

namespace {

constexpr int64_t kNowSeconds = 1'763'700'000;
const std::string kSecret = "endpoint-secret";

SiteConfig site() {
  auto config = parse_site_config("[tenants.acme]\nbase_url = \"https://acme.example\"\n", "content/site.toml");
  REQUIRE(config.ok());
  return config.value();
}

HttpRequest signed_request(const std::string& body, Headers extra = {}) {
  HttpRequest request;
  request.method = "POST";
  request.path = request.target = "/revalidate";
  request.body = body;
  request.headers = {{"X-Hub-Signature-256", "sha256=" + hmac_sha256_hex(kSecret, body)}};
  request.headers.insert(request.headers.end(), extra.begin(), extra.end());
  return request;
}

struct Endpoint {
  ScratchDir dir;
  ManualClock clock{kNowSeconds * 1000};
  std::unique_ptr<JobStore> jobs;
  SiteConfig config = site();
  WebhookSettings settings{kSecret, 300, 10, {}};

  Endpoint() {
    auto opened = JobStore::open(dir / "jobs.db", clock);
    REQUIRE(opened.ok());
    jobs = std::move(opened.value());
  }
  // Through a JobCommitter, as serve takes webhooks; waits for the answer.
  WebhookOutcome post(const HttpRequest& request) {
    JobCommitter committer(*jobs, settings.max_queued);
    std::promise<WebhookOutcome> answered;
    handle_revalidate(
        request, settings, config, clock,
        [&committer](JobRequest job, std::function<void(const Result<AcceptOutcome>&)> stored) {
          committer.submit(std::move(job), std::move(stored));
        },
        [&answered](WebhookOutcome outcome) { answered.set_value(std::move(outcome)); });
    return answered.get_future().get();
  }
  size_t queued() {
    auto count = jobs->queued_count();
    REQUIRE(count.ok());
    return count.value();
  }
};

nlohmann::json body_of(const HttpResponse& response) { return nlohmann::json::parse(response.body); }

}  // namespace

TEST_CASE("revalidate endpoint: a signed request is queued before the 202") {
  Endpoint endpoint;
  WebhookOutcome outcome = endpoint.post(signed_request(R"({"tags": ["models:42"], "paths": ["/acme/summer/"]})"));
  CHECK(outcome.response.status == 202);
  CHECK(outcome.queued);
  std::string id = body_of(outcome.response).at("job");
  auto job = endpoint.jobs->find(id);
  REQUIRE(job.ok());
  REQUIRE(job.value().has_value());
  CHECK(job.value()->status == JobStatus::kQueued);
  CHECK(job.value()->request.tags == std::vector<std::string>{"models:42"});
  CHECK(job.value()->request.paths == std::vector<std::string>{"/acme/summer/"});
}

TEST_CASE("revalidate endpoint: refusals queue nothing and say why") {
  Endpoint endpoint;
  const std::string body = R"({"tags": ["models:42"]})";

  HttpRequest unsigned_request = signed_request(body);
  unsigned_request.headers.clear();
  WebhookOutcome missing = endpoint.post(unsigned_request);
  CHECK(missing.response.status == 401);
  CHECK(find_header(missing.response.headers, "WWW-Authenticate").has_value());

  HttpRequest tampered = signed_request(body);
  tampered.body = R"({"tags": ["models:43"]})";
  WebhookOutcome wrong = endpoint.post(tampered);
  CHECK(wrong.response.status == 401);
  CHECK(body_of(wrong.response).at("error") == "signature does not match");
  CHECK(wrong.response.body.find(kSecret) == std::string::npos);

  WebhookOutcome not_json = endpoint.post(signed_request("{\"tags\": ["));
  CHECK(not_json.response.status == 400);
  CHECK(body_of(not_json.response).at("error") == "the body is not JSON");

  WebhookOutcome outside = endpoint.post(signed_request(R"({"paths": ["https://elsewhere.example/x/"]})"));
  CHECK(outside.response.status == 400);

  WebhookOutcome bad_delivery = endpoint.post(signed_request(body, {{"X-GitHub-Delivery", ""}}));
  CHECK(bad_delivery.response.status == 400);

  CHECK_FALSE(missing.queued);
  CHECK_FALSE(wrong.queued);
  CHECK(endpoint.queued() == 0);
}

TEST_CASE("revalidate endpoint: a signed path that climbs out of the site is a 400 naming it") {
  Endpoint endpoint;
  for (const char* body : {R"({"paths":["/acme/../../etc/passwd"]})", R"({"paths":["/acme/%2e%2e/%2e%2e/etc/passwd"]})",
                           R"({"tags":["models:42"],"paths":["https://acme.example/..\\..\\etc"]})"}) {
    INFO(body);
    WebhookOutcome outcome = endpoint.post(signed_request(body));
    CHECK(outcome.response.status == 400);
    CHECK_THAT(body_of(outcome.response).at("error").get<std::string>(), Catch::StartsWith("paths[0]: '"));
    CHECK_THAT(body_of(outcome.response).at("error").get<std::string>(), Catch::Contains("etc"));
    CHECK_FALSE(outcome.queued);
  }
  CHECK(endpoint.queued() == 0);
}

TEST_CASE("revalidate endpoint: a stale Stripe-style timestamp is refused, a fresh one accepted") {
  Endpoint endpoint;
  const std::string body = R"({"tags": ["campaign:summer"]})";
  auto stripe = [&](int64_t t) {
    HttpRequest request = signed_request(body);
    request.headers = {{"X-Isrgen-Signature",
                        "t=" + std::to_string(t) + ",v1=" + hmac_sha256_hex(kSecret, std::to_string(t) + "." + body)}};
    return request;
  };
  CHECK(endpoint.post(stripe(kNowSeconds - 301)).response.status == 401);
  CHECK(endpoint.post(stripe(kNowSeconds - 299)).response.status == 202);
}

TEST_CASE("revalidate endpoint: a redelivery within a day names the first job and queues nothing") {
  Endpoint endpoint;
  const std::string body = R"({"tags": ["models:42"]})";
  WebhookOutcome first = endpoint.post(signed_request(body, {{"X-GitHub-Delivery", "d-1"}}));
  WebhookOutcome again = endpoint.post(signed_request(body, {{"X-GitHub-Delivery", "d-1"}}));
  REQUIRE(first.response.status == 202);
  REQUIRE(again.response.status == 202);
  CHECK(body_of(again.response).at("job") == body_of(first.response).at("job"));
  CHECK(body_of(again.response).at("duplicate") == true);
  CHECK_FALSE(again.queued);
  CHECK(endpoint.queued() == 1);
  CHECK(endpoint.post(signed_request(body, {{"Idempotency-Key", "d-2"}})).queued);
  CHECK(endpoint.queued() == 2);
}

TEST_CASE("revalidate endpoint: a full queue answers 429 with Retry-After") {
  Endpoint endpoint;
  endpoint.settings.max_queued = 2;
  const std::string body = R"({"tags": ["models:42"]})";
  CHECK(endpoint.post(signed_request(body)).response.status == 202);
  CHECK(endpoint.post(signed_request(body)).response.status == 202);
  WebhookOutcome full = endpoint.post(signed_request(body));
  CHECK(full.response.status == 429);
  CHECK(find_header(full.response.headers, "Retry-After") == std::optional<std::string_view>("5"));
  CHECK_FALSE(full.queued);
  CHECK(endpoint.queued() == 2);
}
