#include "data/source_refresh.h"

#include <deque>
#include <limits>

#include <catch2/catch.hpp>

#include "test_support.h"
#include "util/clock.h"

using namespace isrgen;
using namespace isrgen::data;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

namespace {

constexpr int64_t kStart = 1'795'000'000'000;  // unix ms
constexpr const char* kUrl = "https://api.example.com/jobs";

// Answers each URL from a queue of responses and keeps every request.
class ScriptedFetcher final : public HttpFetcher {
 public:
  void answer(int status, std::string body, std::string etag = "") {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.etag = std::move(etag);
    response.attempts = 1;
    answers_.push_back(std::move(response));
  }
  void fail(std::string error, int attempts) {
    HttpResponse response;
    response.error = std::move(error);
    response.attempts = attempts;
    answers_.push_back(std::move(response));
  }
  std::vector<HttpResponse> fetch_all(const std::vector<HttpRequest>& requests) override {
    std::vector<HttpResponse> responses;
    for (const HttpRequest& request : requests) {
      this->requests.push_back(request);
      REQUIRE_FALSE(answers_.empty());
      responses.push_back(answers_.front());
      answers_.pop_front();
    }
    return responses;
  }
  std::vector<HttpRequest> requests;

 private:
  std::deque<HttpResponse> answers_;
};

SiteConfig site(const std::string& source_settings) {
  auto parsed = parse_site_config("[tenants.a]\nbase_url = \"https://a\"\n[sources.jobs]\nurl = \"" +
                                      std::string(kUrl) + "\"\n" + source_settings,
                                  "content/site.toml");
  REQUIRE(parsed.ok());
  return parsed.value();
}

constexpr const char* kTwoJobs = R"([{"id": 1, "city": "berlin"}, {"id": 2, "city": "paris"}])";

// Runs refreshes like consecutive builds: the snapshots each stores are what
// the next one finds.
struct Harness {
  explicit Harness(const std::string& settings = "revalidate = 60\n") : config(site(settings)) {}

  RemoteRefresh refresh(RefreshRequest request = {}) {
    RemoteRefresh result = refresh_remote_sources(config, dir.path() / "content", stored, request, &fetcher, clock,
                                                  isrgen::testing::fake_environment(env));
    for (const SourceSnapshot& row : result.store) stored[row.source] = row;
    for (const std::string& name : result.forget) stored.erase(name);
    return result;
  }

  const ServedSource& served(const RemoteRefresh& result) { return result.served.at("jobs"); }

  SiteConfig config;
  ScratchDir dir;
  ManualClock clock{kStart};
  ScriptedFetcher fetcher;
  std::map<std::string, SourceSnapshot> stored;
  std::map<std::string, std::string> env;
};

}  // namespace

TEST_CASE("a remote source is fetched once, then served from its snapshot until it is stale") {
  Harness site;
  site.fetcher.answer(200, kTwoJobs, "\"v1\"");
  RemoteRefresh first = site.refresh();
  REQUIRE(first.fetched.size() == 1);
  CHECK(first.fetched[0].outcome == FetchResult::kUpdated);
  CHECK(site.served(first).serving == Serving::kFresh);
  REQUIRE(site.served(first).parsed);
  CHECK(site.served(first).parsed->ids == std::vector<std::string>{"1", "2"});
  CHECK(first.invalidated.contains("source:jobs"));
  CHECK(first.invalidated.contains("jobs:city=paris"));
  CHECK(site.stored.at("jobs").etag == "\"v1\"");
  CHECK(site.stored.at("jobs").fetched_at_ms == kStart);
  CHECK(site.fetcher.requests[0].if_none_match.empty());

  site.clock.advance_ms(59'999);
  RemoteRefresh fresh = site.refresh();
  CHECK(site.fetcher.requests.size() == 1);  // nothing fetched
  CHECK(fresh.fetched.empty());
  CHECK(fresh.store.empty());
  CHECK(site.served(fresh).serving == Serving::kFresh);
  CHECK(site.served(fresh).records == site.stored.at("jobs").records);

  site.clock.advance_ms(1);
  site.fetcher.answer(304, "");
  RemoteRefresh confirmed = site.refresh();
  REQUIRE(site.fetcher.requests.size() == 2);
  CHECK(site.fetcher.requests[1].if_none_match == "\"v1\"");
  CHECK(confirmed.fetched[0].outcome == FetchResult::kNotModified);
  CHECK(confirmed.invalidated.empty());
  CHECK(site.stored.at("jobs").fetched_at_ms == kStart + 60'000);
}

TEST_CASE("a changed response invalidates the tags of the records that changed, and only those") {
  Harness site;
  site.fetcher.answer(200, kTwoJobs);
  site.refresh();
  site.clock.advance_ms(60'000);
  site.fetcher.answer(200, R"([{"id": 1, "city": "berlin"}, {"id": 2, "city": "rome"}])");
  RemoteRefresh changed = site.refresh();
  CHECK(changed.fetched[0].outcome == FetchResult::kUpdated);
  CHECK(changed.invalidated ==
        std::set<std::string>{"jobs:2", "jobs:city=paris", "jobs:city=rome", "jobs:id=2", "source:jobs"});

  // The same records in another formatting and key order are no change.
  site.clock.advance_ms(60'000);
  site.fetcher.answer(200, "[ {\"city\":\"berlin\", \"id\":1},\n {\"id\":2,\"city\":\"rome\"} ]");
  RemoteRefresh same = site.refresh();
  CHECK(same.fetched[0].outcome == FetchResult::kUnchanged);
  CHECK(same.invalidated.empty());
}

TEST_CASE("a failed or invalid refetch serves the last good snapshot and says so") {
  Harness site;
  site.fetcher.answer(200, kTwoJobs);
  site.refresh();
  const SourceSnapshot good = site.stored.at("jobs");

  site.clock.advance_ms(120'000);
  site.fetcher.answer(500, "oops");
  RemoteRefresh failed = site.refresh();
  CHECK(failed.fetched[0].outcome == FetchResult::kFailed);
  CHECK(site.served(failed).serving == Serving::kStale);
  CHECK(site.served(failed).records == good.records);
  CHECK(failed.invalidated.empty());
  REQUIRE(failed.degraded.size() == 1);
  CHECK(failed.degraded[0].error == "HTTP 500");
  CHECK(failed.degraded[0].snapshot_age_ms == 120'000);
  CHECK(site.stored.at("jobs").records == good.records);
  CHECK(site.stored.at("jobs").fetched_at_ms == good.fetched_at_ms);  // still stale: the next build tries again
  CHECK(site.stored.at("jobs").last_error == "HTTP 500");

  site.fetcher.answer(200, R"([{"id": 1}, {"id": 1}])");
  RemoteRefresh invalid = site.refresh();
  CHECK(site.served(invalid).serving == Serving::kStale);
  CHECK(invalid.degraded[0].error ==
        "invalid response: https://api.example.com/jobs: record 2: duplicate id '1' (first at record 1)");

  site.fetcher.fail("timed out after 30 s (raise timeout)", 4);
  RemoteRefresh timed_out = site.refresh();
  CHECK(timed_out.degraded[0].error == "timed out after 30 s (raise timeout) after 4 attempts");
  CHECK(site.stored.at("jobs").records == good.records);
}

TEST_CASE("with no snapshot a failed fetch serves the bundled fallback, else nothing") {
  SECTION("nothing") {
    Harness site;
    site.fetcher.answer(503, "");
    RemoteRefresh result = site.refresh();
    CHECK(site.served(result).serving == Serving::kNothing);
    CHECK(site.served(result).unavailable == "HTTP 503");
    REQUIRE(result.degraded.size() == 1);
    CHECK(result.degraded[0].serving == Serving::kNothing);
    CHECK_FALSE(site.stored.at("jobs").has_records());
    // Records arriving later invalidate what their tags reach.
    site.fetcher.answer(200, kTwoJobs);
    RemoteRefresh later = site.refresh();
    CHECK(later.invalidated.contains("jobs:city=berlin"));
    CHECK(site.served(later).serving == Serving::kFresh);
  }
  SECTION("the fallback, until the origin answers") {
    Harness site("revalidate = 60\nfallback = \"data/jobs.json\"\n");
    write_text(site.dir / "content/data/jobs.json", R"([{"id": 1, "city": "berlin"}])");
    site.fetcher.fail("could not connect to api.example.com", 1);
    RemoteRefresh offline = site.refresh();
    CHECK(site.served(offline).serving == Serving::kFallback);
    REQUIRE(site.served(offline).parsed);
    CHECK(site.served(offline).parsed->display_path == kUrl);
    CHECK(site.stored.at("jobs").from_fallback);
    CHECK(offline.degraded[0].serving == Serving::kFallback);

    // A fallback is always stale: the next build asks the origin again, unconditionally.
    site.fetcher.answer(200, kTwoJobs, "\"v1\"");
    RemoteRefresh online = site.refresh();
    CHECK(site.fetcher.requests[1].if_none_match.empty());
    CHECK(online.invalidated.contains("jobs:2"));
    CHECK_FALSE(online.invalidated.contains("jobs:1"));  // the same in the fallback
    CHECK_FALSE(site.stored.at("jobs").from_fallback);
  }
  SECTION("a broken fallback is named") {
    Harness site("fallback = \"data/jobs.json\"\n");
    write_text(site.dir / "content/data/jobs.json", "[{\"id\": 1},");
    site.fetcher.answer(500, "");
    RemoteRefresh result = site.refresh();
    CHECK(site.served(result).serving == Serving::kNothing);
    CHECK(site.served(result).unavailable.starts_with("HTTP 500; fallback: content/data/jobs.json:1:"));
  }
}

TEST_CASE("past expire a snapshot is withheld when the refetch fails, and comes back with the origin") {
  Harness site("revalidate = 60\nexpire = 600\n");
  site.fetcher.answer(200, kTwoJobs, "\"v1\"");
  site.refresh();

  site.clock.advance_ms(599'000);
  site.fetcher.answer(500, "");
  CHECK(site.served(site.refresh()).serving == Serving::kStale);

  site.clock.advance_ms(1'000);
  site.fetcher.answer(500, "");
  RemoteRefresh expired = site.refresh();
  CHECK(site.served(expired).serving == Serving::kNothing);
  CHECK(site.served(expired).unavailable.find("is past expire (600 s)") != std::string::npos);
  CHECK(expired.invalidated == std::set<std::string>{"jobs:*", "source:jobs"});  // every page showing it
  CHECK(site.stored.at("jobs").withheld);

  site.fetcher.answer(500, "");
  CHECK(site.refresh().invalidated.empty());  // already withheld

  site.fetcher.answer(304, "");
  RemoteRefresh back = site.refresh();
  CHECK(site.fetcher.requests.back().if_none_match == "\"v1\"");
  CHECK(site.served(back).serving == Serving::kFresh);
  CHECK(back.invalidated == std::set<std::string>{"jobs:*", "source:jobs"});
  CHECK_FALSE(site.stored.at("jobs").withheld);
}

TEST_CASE("revalidate refetches the sources it names whatever their age, and only those unless expired") {
  Harness site("revalidate = 3600\n");
  site.fetcher.answer(200, kTwoJobs);
  site.refresh();

  RefreshRequest named;
  named.refresh_stale = false;
  named.named = {"jobs"};
  site.fetcher.answer(304, "");
  CHECK(site.refresh(named).fetched.size() == 1);  // fresh, yet fetched

  site.clock.advance_ms(7'200'000);
  RefreshRequest other;
  other.refresh_stale = false;
  CHECK(site.refresh(other).fetched.empty());  // stale, but not named

  RefreshRequest offline;
  offline.offline = true;
  offline.named = {"jobs"};
  RemoteRefresh served = site.refresh(offline);
  CHECK(served.fetched.empty());
  CHECK(site.served(served).serving == Serving::kFresh);
}

TEST_CASE("request headers expand the environment, and an unset variable sends nothing") {
  Harness site("headers = { Authorization = \"Bearer ${JOBS_TOKEN}\" }\nretries = 1\ntimeout = 2\n");
  site.env["JOBS_TOKEN"] = "s3cr3t";
  site.fetcher.answer(200, kTwoJobs);
  site.refresh();
  REQUIRE(site.fetcher.requests.size() == 1);
  const HttpRequest& sent = site.fetcher.requests[0];
  CHECK(sent.headers == std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer s3cr3t"}});
  CHECK(sent.retries == 1);
  CHECK(sent.timeout_ms == 2000);
  CHECK(sent.connect_timeout_ms == 5000);

  site.env.clear();
  RefreshRequest all;
  all.refetch_all = true;
  RemoteRefresh unset = site.refresh(all);
  CHECK(site.fetcher.requests.size() == 1);
  CHECK(site.served(unset).serving == Serving::kStale);
  CHECK(unset.degraded[0].error == "header Authorization: environment variable JOBS_TOKEN is not set (export it where "
                                   "isrgen runs)");
}

TEST_CASE("changed source settings refetch unconditionally and removed sources are forgotten") {
  Harness site;
  site.fetcher.answer(200, kTwoJobs, "\"v1\"");
  site.refresh();
  site.config.sources.at("jobs").items_path = "data";
  site.fetcher.answer(200, R"({"data": [{"id": 1, "city": "berlin"}]})");
  RemoteRefresh moved = site.refresh();
  CHECK(site.fetcher.requests[1].if_none_match.empty());
  CHECK(moved.invalidated.contains("jobs:2"));  // removed by the new response

  site.config.sources.erase("jobs");
  RemoteRefresh gone = site.refresh();
  CHECK(gone.forget == std::vector<std::string>{"jobs"});
  CHECK(site.stored.empty());
}

TEST_CASE("revalidate tags that name remote sources") {
  auto config = site("");
  SourceConfig models;
  models.name = "models";
  models.file = "data/models.json";
  config.sources["models"] = models;
  CHECK(remote_sources_named("source:jobs", config) == std::set<std::string>{"jobs"});
  CHECK(remote_sources_named("jobs:42", config) == std::set<std::string>{"jobs"});
  CHECK(remote_sources_named("jobs:city=berlin", config) == std::set<std::string>{"jobs"});
  CHECK(remote_sources_named("jobs:*", config) == std::set<std::string>{"jobs"});
  CHECK(remote_sources_named("source:*", config) == std::set<std::string>{"jobs"});
  CHECK(remote_sources_named("models:1", config).empty());
  CHECK(remote_sources_named("source:models", config).empty());
  CHECK(remote_sources_named("jobsite:1", config).empty());
  CHECK(names_remote_data_only("source:jobs", config));
  CHECK(names_remote_data_only("jobs:ci*", config));
  CHECK_FALSE(names_remote_data_only("source:*", config));  // also local sources' pages
  CHECK_FALSE(names_remote_data_only("models:1", config));
  CHECK_FALSE(names_remote_data_only("campaign:summer", config));
}

TEST_CASE("stale_at_ms is when a build would refetch a snapshot for its age", "[data][staleness]") {
  const int64_t never = std::numeric_limits<int64_t>::max();
  SiteConfig config = site("revalidate = 300\nexpire = 3600\n");
  const SourceConfig& jobs = config.sources.at("jobs");
  SourceSnapshot snapshot;
  snapshot.source = "jobs";
  snapshot.origin_key = jobs.origin_key();
  snapshot.records = "[]";
  snapshot.fetched_at_ms = kStart;
  CHECK(stale_at_ms(&snapshot, jobs) == kStart + 300'000);
  CHECK(snapshot_state(&snapshot, jobs, kStart + 299'999) == "fresh");
  CHECK(snapshot_state(&snapshot, jobs, kStart + 300'000) == "stale");

  SiteConfig expire_only = site("expire = 3600\n");
  CHECK(stale_at_ms(&snapshot, expire_only.sources.at("jobs")) == kStart + 3'600'000);
  SiteConfig untimed = site("");
  CHECK(stale_at_ms(&snapshot, untimed.sources.at("jobs")) == never);
  CHECK(stale_at_ms(nullptr, untimed.sources.at("jobs")) == never);

  CHECK(stale_at_ms(nullptr, jobs) == 0);  // never fetched: the next build fetches it
  SourceSnapshot elsewhere = snapshot;
  elsewhere.origin_key = "https://old.example/jobs";
  CHECK(stale_at_ms(&elsewhere, jobs) == 0);
  SourceSnapshot fallback = snapshot;
  fallback.from_fallback = true;
  fallback.fetched_at_ms = 0;
  CHECK(stale_at_ms(&fallback, jobs) == 300'000);  // bundled records are as old as can be
}
