// `isrgen serve` in-process on an ephemeral port, spoken to over real HTTP:
// every webhook answer, coalescing of a burst, jobs that outlive a restart,
// the origin's files, first requests of deferred pages and
// stale-while-revalidate on an injected clock. Builds are real builds of a
// fixture site; tests wait for them through the app's build hooks, never
// for time.
#include "serve/serve_app.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "data/curl_fetcher.h"
#include "fixture_site.h"
#include "http_client.h"
#include "remote_site.h"
#include "serve/job_store.h"
#include "util/hmac.h"

using namespace isrgen;
using namespace isrgen::serve;
using namespace isrgen::testing;
using nlohmann::json;

namespace {

const std::string kSecret = "serve-test-secret";

// Lets a test hold the worker before a build starts, and wait until a number
// of builds have ended.
class BuildGate {
 public:
  void hold() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    changed_.notify_all();
  }
  void before_build() {
    std::unique_lock lock(mutex_);
    ++started_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  void after_build(const WorkOutcome& outcome) {
    {
      std::lock_guard lock(mutex_);
      outcomes_.push_back(outcome);
    }
    changed_.notify_all();
  }
  // The deadline only bounds a broken server; builds of the fixture take milliseconds.
  void wait_started(size_t count) {
    std::unique_lock lock(mutex_);
    REQUIRE(changed_.wait_for(lock, std::chrono::seconds(60), [&] { return started_ >= count; }));
  }
  std::vector<WorkOutcome> wait_finished(size_t count) {
    std::unique_lock lock(mutex_);
    REQUIRE(changed_.wait_for(lock, std::chrono::seconds(60), [&] { return outcomes_.size() >= count; }));
    return outcomes_;
  }
  size_t started() {
    std::lock_guard lock(mutex_);
    return started_;
  }
  size_t finished() {
    std::lock_guard lock(mutex_);
    return outcomes_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = true;
  size_t started_ = 0;
  std::vector<WorkOutcome> outcomes_;
};

std::string github_signature(const std::string& body) { return "sha256=" + hmac_sha256_hex(kSecret, body); }

struct Server {
  ManualClock clock;
  data::CurlFetcher fetcher;
  BuildGate gate;
  std::unique_ptr<ServeApp> app;
  std::mutex log_mutex;
  std::vector<std::pair<LogLevel, std::string>> log_lines;

  Server(const FixtureSite& site, int64_t now_ms, bool held = false, ServeConfig config = {}) : clock(now_ms) {
    if (held) gate.hold();
    config.listen = "127.0.0.1:0";
    ServeSetup setup;
    setup.paths = make_site_paths(site.root(), "");
    setup.config = config;
    setup.webhook_secret = kSecret;
    setup.clock = &clock;
    setup.fetcher = &fetcher;
    setup.log = [this](LogLevel level, std::string_view line) {
      std::lock_guard lock(log_mutex);
      log_lines.emplace_back(level, line);
    };
    setup.before_build = [this](const MergedWork&) { gate.before_build(); };
    setup.after_build = [this](const std::vector<Job>&, const WorkOutcome& outcome) { gate.after_build(outcome); };
    auto started = ServeApp::start(std::move(setup));
    if (!started) FAIL(started.error().to_string());
    app = std::move(started.value());
  }
  ~Server() {
    gate.release();
    app->shutdown(1000);
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(app->port()) + path; }

  ClientResponse webhook(const std::string& body, std::vector<std::pair<std::string, std::string>> headers) {
    headers.emplace_back("Content-Type", "application/json");
    return http_request({"POST", url("/revalidate"), std::move(headers), body});
  }
  ClientResponse signed_webhook(const std::string& body) {
    return webhook(body, {{"X-Hub-Signature-256", github_signature(body)}});
  }
  json job(const std::string& id) {
    ClientResponse response = http_get(url("/jobs/" + id));
    REQUIRE(response.status == 200);
    return json::parse(response.body);
  }
  std::string metrics() { return http_get(url("/metrics")).body; }
  // The lines logged at `level` that contain `text`.
  size_t logged(LogLevel level, const std::string& text) {
    std::lock_guard lock(log_mutex);
    return std::count_if(log_lines.begin(), log_lines.end(), [&](const auto& entry) {
      return entry.first == level && entry.second.find(text) != std::string::npos;
    });
  }
};

std::string job_id_of(const ClientResponse& response) {
  INFO(response.body);
  REQUIRE(response.status == 202);
  return json::parse(response.body).at("job");
}

std::set<std::string> rendered_in(const json& job) { return rendered_variants(job.at("report").at("build")); }

// The fixture site with `extra_settings` appended to its site.toml, built.
void build_site(const FixtureSite& site, const std::string& extra_settings = "") {
  if (!extra_settings.empty()) site.write("content/site.toml", read_text(site / "content/site.toml") + extra_settings);
  auto build = site.build();
  INFO(build.result.err);
  REQUIRE(build.result.exit_code == 0);
}

constexpr int64_t kNowMs = 1'795'000'000'000;

}  // namespace

TEST_CASE("serve: every webhook answer over HTTP", "[serve]") {
  FixtureSite site;
  build_site(site);
  ServeConfig config;
  config.max_queued = 3;
  Server server(site, kNowMs, /*held=*/true, config);
  server.gate.wait_started(1);  // the start-up build is held: jobs stay queued

  const std::string body = R"({"tags": ["page:acme/all"]})";
  std::string github = job_id_of(server.signed_webhook(body));
  std::string stripe_header = "t=" + std::to_string(kNowMs / 1000) +
                              ",v1=" + hmac_sha256_hex(kSecret, std::to_string(kNowMs / 1000) + "." + body);
  job_id_of(server.webhook(body, {{"X-Isrgen-Signature", stripe_header}}));
  job_id_of(server.webhook(body, {{"Authorization", "Bearer " + kSecret}}));

  ClientResponse full = server.signed_webhook(body);
  CHECK(full.status == 429);
  CHECK(full.header("Retry-After") == "5");

  CHECK(server.webhook(body, {}).status == 401);
  CHECK(server.webhook(body, {{"X-Hub-Signature-256", github_signature(body + " ")}}).status == 401);
  CHECK(server.webhook(body, {{"Authorization", "Bearer not-the-secret"}}).status == 401);
  std::string old_header = "t=" + std::to_string(kNowMs / 1000 - 301) +
                           ",v1=" + hmac_sha256_hex(kSecret, std::to_string(kNowMs / 1000 - 301) + "." + body);
  ClientResponse replayed = server.webhook(body, {{"X-Isrgen-Signature", old_header}});
  CHECK(replayed.status == 401);
  CHECK(replayed.body.find(kSecret) == std::string::npos);

  CHECK(server.signed_webhook("{\"tags\": [").status == 400);
  CHECK(server.signed_webhook(R"({"paths": ["/../etc/passwd"]})").status == 400);
  std::string huge = R"({"tags": [")" + std::string(70 * 1024, 'x') + R"("]})";
  CHECK(server.signed_webhook(huge).status == 413);

  ClientResponse get = http_get(server.url("/revalidate"));
  CHECK(get.status == 405);
  CHECK(get.header("Allow") == "POST");
  CHECK(http_request({"DELETE", server.url("/acme/"), {}, ""}).status == 405);
  CHECK(http_get(server.url("/nosuchtenant/")).status == 404);
  CHECK(http_get(server.url("/jobs/0123456789abcdef0123456789abcdef")).status == 404);

  CHECK(server.job(github).at("status") == "queued");
  server.gate.release();
  server.gate.wait_finished(2);  // the start-up build, then one for the three jobs
  json done = server.job(github);
  CHECK(done.at("status") == "done");
  CHECK(rendered_in(done) == std::set<std::string>{"acme/all/en"});
  CHECK(done.at("tags") == json::array({"page:acme/all"}));

  std::string metrics = server.metrics();
  CHECK_THAT(metrics, Catch::Contains("isrgen_builds_total 2\n"));
  CHECK_THAT(metrics, Catch::Contains("isrgen_webhook_requests_total{code=\"202\"} 3\n"));
  CHECK_THAT(metrics, Catch::Contains("isrgen_webhook_requests_total{code=\"401\"} 4\n"));
  CHECK_THAT(metrics, Catch::Contains("isrgen_webhook_requests_total{code=\"429\"} 1\n"));
  // Refusals count too: the endpoint's 400s, the routing's 405 and the HTTP
  // server's 413, which the app never sees as a request.
  CHECK_THAT(metrics, Catch::Contains("isrgen_webhook_requests_total{code=\"400\"} 2\n"));
  CHECK_THAT(metrics, Catch::Contains("isrgen_webhook_requests_total{code=\"405\"} 1\n"));
  CHECK_THAT(metrics, Catch::Contains("isrgen_webhook_requests_total{code=\"413\"} 1\n"));
  CHECK_THAT(metrics, Catch::Contains("isrgen_jobs_queued 0\n"));
  CHECK_THAT(metrics, Catch::Contains("isrgen_job_latency_seconds_count 4\n"));  // three jobs and the start-up one
  CHECK(server.logged(LogLevel::kProblem, ": 401") == 4);
  CHECK(server.logged(LogLevel::kProblem, ": 429") == 1);
  CHECK(server.logged(LogLevel::kProblem, kSecret) == 0);
  CHECK(server.logged(LogLevel::kProgress, kSecret) == 0);
  CHECK(server.logged(LogLevel::kProgress, "3 jobs done: ") == 1);
  ClientResponse health = http_get(server.url("/healthz"));
  CHECK(health.status == 200);
  CHECK(json::parse(health.body).at("status") == "ok");
}

TEST_CASE("serve: a Contentful entry signed the Standard Webhooks way queues its mapped tag", "[serve]") {
  FixtureSite site;
  build_site(site);
  auto rules = parse_serve_config(R"([[serve.map]]
when = { "sys.contentType.sys.id" = "page", "sys.type" = "Entry" }
tags = ["page:acme/{sys.id}"]
)",
                                  "content/site.toml");
  REQUIRE(rules.ok());
  Server server(site, kNowMs, /*held=*/true, rules.value());
  server.gate.wait_started(1);

  const std::string body = R"({"metadata": {"tags": []},
    "sys": {"type": "Entry", "id": "all", "revision": 3,
            "contentType": {"sys": {"type": "Link", "linkType": "ContentType", "id": "page"}}},
    "fields": {"title": {"en-US": "All models"}}})";
  const std::string timestamp = std::to_string(kNowMs / 1000);
  auto standard_headers = [&](const std::string& id, const std::string& signed_body) {
    Sha256Digest digest = hmac_sha256(kSecret, id + "." + timestamp + "." + signed_body);
    return std::vector<std::pair<std::string, std::string>>{
        {"webhook-id", id},
        {"webhook-timestamp", timestamp},
        {"webhook-signature", "v1," + testing::base64_of(digest.data(), digest.size())},
        {"X-Contentful-Topic", "ContentManagement.Entry.publish"}};
  };
  std::string job = job_id_of(server.webhook(body, standard_headers("msg_contentful_1", body)));
  CHECK(server.job(job).at("tags") == json::array({"page:acme/all"}));

  // A redelivery carries the same webhook-id: acknowledged, not queued again.
  ClientResponse again = server.webhook(body, standard_headers("msg_contentful_1", body));
  REQUIRE(again.status == 202);
  CHECK(json::parse(again.body) == json({{"job", job}, {"duplicate", true}}));

  const std::string asset = R"({"sys": {"type": "Asset", "id": "logo"}})";
  ClientResponse unmapped = server.webhook(asset, standard_headers("msg_contentful_2", asset));
  CHECK(unmapped.status == 400);
  CHECK(json::parse(unmapped.body).at("error") ==
        "no [serve.map] rule applies to this body: content/site.toml:1: 'sys.contentType.sys.id' is missing");
  CHECK(server.webhook(body, standard_headers("msg_contentful_3", body + " ")).status == 401);

  server.gate.release();
  server.gate.wait_finished(2);
  json done = server.job(job);
  CHECK(done.at("status") == "done");
  CHECK(rendered_in(done) == std::set<std::string>{"acme/all/en"});
}

TEST_CASE("serve: a burst of 100 webhooks during a build costs one more build", "[serve]") {
  FixtureSite site;
  build_site(site);
  Server server(site, kNowMs, /*held=*/true);
  server.gate.wait_started(1);  // a build is running

  std::vector<std::string> ids;
  const std::vector<std::string> tags = {"page:acme/all", "page:nova/index", "models:m-2"};
  for (int i = 0; i < 100; ++i) {
    json body = {{"tags", {tags[i % tags.size()]}}};
    ids.push_back(job_id_of(server.signed_webhook(body.dump())));
  }
  server.gate.release();
  server.gate.wait_finished(2);
  for (const std::string& id : ids) CHECK(server.job(id).at("status") == "done");
  CHECK(server.gate.finished() == 2);
  // models:m-2 (a fitness model) is shown by acme/all alone.
  CHECK(rendered_in(server.job(ids.front())) == std::set<std::string>{"acme/all/en", "nova/index/en"});
  CHECK(server.job(ids.front()).at("report") == server.job(ids.back()).at("report"));
}

TEST_CASE("serve: jobs accepted before a restart run after it", "[serve]") {
  FixtureSite site;
  build_site(site);
  ManualClock clock(kNowMs);
  std::string queued, interrupted;
  {
    auto store = JobStore::open(jobs_db_path(make_site_paths(site.root(), "")), clock);
    REQUIRE(store.ok());
    auto first = store.value()->accept(JobRequest{{"page:acme/all"}, {}, std::nullopt}, 100);
    REQUIRE(first.ok());
    interrupted = std::get<Acceptance>(first.value()).job_id;
    REQUIRE(store.value()->claim_queued().ok());  // the build of this job was cut short
    auto second = store.value()->accept(JobRequest{{}, {"/nova/"}, std::nullopt}, 100);
    REQUIRE(second.ok());
    queued = std::get<Acceptance>(second.value()).job_id;
  }
  Server server(site, kNowMs);
  server.gate.wait_finished(1);
  json first = server.job(interrupted), second = server.job(queued);
  CHECK(first.at("status") == "done");
  CHECK(second.at("status") == "done");
  CHECK(rendered_in(first) == std::set<std::string>{"acme/all/en", "nova/index/en"});
}

TEST_CASE("serve: the origin serves the output with its headers", "[serve]") {
  FixtureSite site;
  build_site(site,
      "\n[deploy]\ncache_control = \"public, max-age=60\"\n[[deploy.rules]]\nmatch = \"**/*.html\"\n"
      "cache_control = \"public, max-age=0, must-revalidate\"\n");
  Server server(site, kNowMs);
  server.gate.wait_finished(1);

  ClientResponse page = http_get(server.url("/acme/all/"));
  REQUIRE(page.status == 200);
  CHECK(page.body == site.read_out("acme/all/index.html"));
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.header("Cache-Control") == "public, max-age=0, must-revalidate");
  CHECK(page.header("X-Isrgen-Cache") == "HIT");
  REQUIRE(page.header("ETag").has_value());

  ClientResponse revalidated = http_get(server.url("/acme/all/"), {{"If-None-Match", *page.header("ETag")}});
  CHECK(revalidated.status == 304);
  CHECK(revalidated.body.empty());

  ClientResponse by_host = http_get(server.url("/all/"), {{"Host", "acme.example"}});
  CHECK(by_host.status == 200);
  CHECK(by_host.body == page.body);
  ClientResponse german = http_get(server.url("/de/"), {{"Host", "ACME.example:443"}});
  CHECK(german.status == 200);
  CHECK(german.body == site.read_out("acme/de/index.html"));

  ClientResponse head = http_request({"HEAD", server.url("/acme/all/"), {}, ""});
  CHECK(head.status == 200);
  CHECK(head.header("Content-Length") == std::to_string(page.body.size()));
  CHECK(head.body.empty());

  ClientResponse folder = http_get(server.url("/acme/all"));
  CHECK(folder.status == 308);
  CHECK(folder.header("Location") == "/acme/all/");
  CHECK(http_get(server.url("/all"), {{"Host", "acme.example"}}).header("Location") == "/all/");

  CHECK(http_get(server.url("/acme/all/index.metadata.json")).status == 404);
  CHECK(http_get(server.url("/acme/missing/")).status == 404);
  CHECK(http_get(server.url("/acme/%2e%2e/nova/")).status == 404);

  // A page rewritten by a build of another process is served new at once.
  site.replace("content/pages/acme/all.md", "title: All models", "title: Every face");
  REQUIRE(site.build().result.exit_code == 0);
  ClientResponse changed = http_get(server.url("/acme/all/"));
  CHECK_THAT(changed.body, Catch::Contains("Every face"));
  CHECK(changed.header("ETag") != page.header("ETag"));
}

TEST_CASE("serve: a deferred page is rendered on its first request and kept", "[serve]") {
  FixtureSite site;
  build_site(site, "\n[build]\nprerender = \"high\"\n");
  REQUIRE_FALSE(fs::exists(site.out() / "acme/all/index.html"));
  Server server(site, kNowMs);
  server.gate.wait_finished(1);

  ClientResponse first = http_get(server.url("/acme/all/"));
  REQUIRE(first.status == 200);
  CHECK(first.header("X-Isrgen-Cache") == "MISS");
  CHECK(first.body == site.read_out("acme/all/index.html"));
  // The answer leaves before the job's end is recorded: wait for the record.
  server.gate.wait_finished(2);
  ClientResponse second = http_get(server.url("/acme/all/"));
  CHECK(second.header("X-Isrgen-Cache") == "HIT");
  CHECK(second.body == first.body);
  CHECK(http_get(server.url("/acme/nothing-here/")).status == 404);
  // An unknown URL queues no build: none waits and none started.
  std::string metrics = server.metrics();
  CHECK_THAT(metrics, Catch::Contains("isrgen_jobs_queued 0\n"));
  CHECK(server.gate.started() == 2);
  CHECK_THAT(metrics, Catch::Contains("isrgen_origin_requests_total{cache=\"miss\"} 1\n"));
}

TEST_CASE("serve: a page past its sources' revalidate time is served stale while one refresh runs", "[serve]") {
  JobsApi api;
  RemoteSite site(api.url());
  REQUIRE(site.run({"build"}).result.exit_code == 0);
  Server server(site, kNow * 1000);
  server.gate.wait_finished(1);

  ClientResponse fresh = http_get(server.url("/acme/careers/"));
  CHECK(fresh.header("X-Isrgen-Cache") == "HIT");
  CHECK_THAT(fresh.body, Catch::Contains("Stage hand"));

  api.set_body(R"([{"id": "j-1", "title": "Lighting tech", "city": "berlin"}])");
  server.clock.advance_ms(299'000);
  CHECK(http_get(server.url("/acme/careers/")).header("X-Isrgen-Cache") == "HIT");
  server.gate.hold();  // before the clock moves: the refresh timer may be first to see the page stale
  server.clock.advance_ms(1'000);  // 300 s: stale now
  ClientResponse stale = http_get(server.url("/acme/careers/"));
  CHECK(stale.header("X-Isrgen-Cache") == "STALE");
  CHECK(stale.body == fresh.body);
  server.gate.wait_started(2);
  // While the refresh runs, the page is still served stale, and no second refresh is queued.
  CHECK(http_get(server.url("/acme/careers/")).header("X-Isrgen-Cache") == "STALE");
  CHECK(http_get(server.url("/nova/paris-jobs/")).header("X-Isrgen-Cache") == "STALE");
  server.gate.release();
  auto outcomes = server.gate.wait_finished(2);
  CHECK(outcomes.back().ok);

  ClientResponse refreshed = http_get(server.url("/acme/careers/"));
  CHECK(refreshed.header("X-Isrgen-Cache") == "HIT");
  CHECK_THAT(refreshed.body, Catch::Contains("Lighting tech"));
  CHECK(server.gate.finished() == 2);
  CHECK_THAT(server.metrics(), Catch::Contains("isrgen_origin_requests_total{cache=\"stale\"} 3\n"));
}

TEST_CASE("serve: sources past revalidate are refreshed on the timer without any request", "[serve]") {
  JobsApi api;
  RemoteSite site(api.url());
  REQUIRE(site.run({"build"}).result.exit_code == 0);
  Server server(site, kNow * 1000);
  server.gate.wait_finished(1);
  REQUIRE(api.requests().size() == 1);  // the start-up build found the snapshot fresh

  api.set_body(R"([{"id": "j-1", "title": "Lighting tech", "city": "berlin"}])");
  server.clock.advance_ms(300'000);
  auto outcomes = server.gate.wait_finished(2);
  CHECK(outcomes.back().ok);
  CHECK(api.requests().size() == 2);
  CHECK_THAT(site.read_out("acme/careers/index.html"), Catch::Contains("Lighting tech"));
  CHECK_THAT(site.read_out("acme/berlin-jobs/index.html"), Catch::Contains("Lighting tech"));
  CHECK_THAT(site.read_out("nova/paris-jobs/index.html"), Catch::Contains("No openings right now"));
}

TEST_CASE("serve: with sync on, each build syncs with the [deploy] it read, so an edit applies without a restart",
          "[serve]") {
  FixtureSite site;
  const std::string settings = read_text(site / "content/site.toml");
  build_site(site, "[deploy]\ntarget = \"public\"\n");
  ServeConfig config;
  config.sync = true;
  Server server(site, kNowMs, /*held=*/false, config);
  WorkOutcome startup = server.gate.wait_finished(1).at(0);
  INFO(startup.error);
  REQUIRE(startup.ok);
  CHECK(startup.report.at("sync").at("stats").at("uploaded") == 10);  // pages, static files, sitemaps, robots.txt
  CHECK(read_text(site / "public/acme/index.html") == site.read_out("acme/index.html"));

  site.write("content/site.toml", settings + "[deploy]\ntarget = \"elsewhere\"\n");
  site.replace("content/pages/nova/index.md", "title: Nova", "title: Nova Autumn");
  std::string moved = job_id_of(server.signed_webhook(R"({"paths": ["/nova/"]})"));
  server.gate.wait_finished(2);
  CHECK(server.job(moved).at("status") == "done");
  CHECK_THAT(read_text(site / "elsewhere/nova/index.html"), Catch::Contains("Nova Autumn"));

  site.write("content/site.toml", settings + "[deploy]\ntarget = \"elsewhere\"\nmax_delete = 1\n");
  std::string typo = job_id_of(server.signed_webhook(R"({"paths": ["/acme/"]})"));
  server.gate.wait_finished(3);
  json failed = server.job(typo);
  CHECK(failed.at("status") == "failed");
  CHECK_THAT(failed.at("error").get<std::string>(), Catch::StartsWith("sync: content/site.toml:"));
  CHECK(failed.at("report").at("build").at("stats").at("failed") == 0);
  CHECK(server.logged(LogLevel::kProblem, "unknown setting 'deploy.max_delete'") == 1);
}

TEST_CASE("serve: a page's cache profile gives the headers sync stores, HIT then STALE past revalidate", "[serve][cache]") {
  JobsApi api;
  RemoteSite site(api.url(), "cache = \"minutes\"\n");
  site.write("content/site.toml", read_text(site / "content/site.toml") +
                                      "\n[deploy.purge]\nprovider = \"fastly\"\nservice_id = \"s\"\ntoken = \"t\"\n");
  REQUIRE(site.run({"build"}).result.exit_code == 0);
  Server server(site, kNow * 1000);
  server.gate.wait_finished(1);

  const std::string minutes_cdn = "max-age=60, stale-while-revalidate=3540, stale-if-error=3540";
  ClientResponse fresh = http_get(server.url("/acme/careers/"));
  CHECK(fresh.header("X-Isrgen-Cache") == "HIT");
  CHECK(fresh.header("Cache-Control") == "public, max-age=300, must-revalidate");
  CHECK(fresh.header("CDN-Cache-Control") == minutes_cdn);
  CHECK(fresh.header("Surrogate-Control") == minutes_cdn);
  CHECK_FALSE(fresh.header("Cloudflare-CDN-Cache-Control").has_value());
  // The page's tags, as Fastly purges them: the header sync stores as x-amz-meta-surrogate-key.
  CHECK_THAT(fresh.header("Surrogate-Key").value_or(""), Catch::StartsWith("page:acme/careers lang:en tenant:acme ") && Catch::Contains(" source:jobs"));
  CHECK_FALSE(fresh.header("Cache-Tag").has_value());
  ClientResponse revalidated = http_get(server.url("/acme/careers/"), {{"If-None-Match", *fresh.header("ETag")}});
  CHECK(revalidated.status == 304);
  CHECK(revalidated.header("CDN-Cache-Control") == minutes_cdn);

  // A page of local data alone keeps the default profile.
  ClientResponse local = http_get(server.url("/acme/jobs/berlin/"));
  CHECK(local.header("Cache-Control") == "public, max-age=300, must-revalidate");
  CHECK(local.header("CDN-Cache-Control") == "max-age=900, stale-while-revalidate=31536000, stale-if-error=31536000");
  // A static file has no profile, nor a fingerprint: no caching headers.
  ClientResponse css = http_get(server.url("/acme/css/site.css"));
  CHECK(css.status == 200);
  CHECK_FALSE(css.header("Cache-Control").has_value());
  CHECK_FALSE(css.header("CDN-Cache-Control").has_value());
  CHECK_FALSE(css.header("Surrogate-Key").has_value());

  server.clock.advance_ms(59'000);
  CHECK(http_get(server.url("/acme/careers/")).header("X-Isrgen-Cache") == "HIT");
  server.gate.hold();  // before the clock moves: the refresh timer may be first to see the page stale
  server.clock.advance_ms(1'000);  // 60 s, the profile's revalidate: stale now
  ClientResponse stale = http_get(server.url("/acme/careers/"));
  CHECK(stale.header("X-Isrgen-Cache") == "STALE");
  CHECK(stale.header("CDN-Cache-Control") == minutes_cdn);
  server.gate.release();
  CHECK(server.gate.wait_finished(2).back().ok);
}
