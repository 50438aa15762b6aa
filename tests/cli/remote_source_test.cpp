// Remote data sources as users run them: the fixture site gets a `jobs`
// source served by the tests' own HTTP server on a loopback port, and the
// isrgen binary fetches it with libcurl. Time moves by ISRGEN_NOW, never by
// waiting.
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "output_tree.h"
#include "remote_site.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

const std::set<std::string> kJobPages = {"acme/careers/en", "acme/careers/de", "acme/berlin-jobs/en",
                                         "nova/paris-jobs/en"};
// The pages showing Paris's jobs.
const std::set<std::string> kParisPages = {"acme/careers/en", "acme/careers/de", "nova/paris-jobs/en"};

}  // namespace

TEST_CASE("a changed record on the API reaches exactly the pages showing it, via revalidate --tag source:jobs") {
  JobsApi api;
  RemoteSite site(api.url());
  auto first = site.run({"build"});
  REQUIRE(first.result.exit_code == 0);
  CHECK(first.report["fetched"][0]["outcome"] == "updated");
  CHECK(first.report["degraded"].empty());
  CHECK(site.read_out("acme/careers/index.html").find("Dresser (paris)") != std::string::npos);
  CHECK(site.read_out("acme/berlin-jobs/index.html").find("Stage hand (berlin)") != std::string::npos);
  CHECK(site.read_out("acme/berlin-jobs/index.html").find("Dresser") == std::string::npos);
  json metadata = json::parse(site.read_out("nova/paris-jobs/index.metadata.json"));
  std::vector<std::string> tags = metadata["tags"];
  CHECK(std::find(tags.begin(), tags.end(), "jobs:city=paris") != tags.end());
  CHECK(std::find(tags.begin(), tags.end(), "jobs:j-2") != tags.end());

  // The Paris dresser job gets a new title: the pages listing all jobs and
  // Paris's jobs show it; Berlin's does not.
  std::string changed = kJobs;
  changed.replace(changed.find("Dresser"), 7, "Costume dresser");
  api.set_body(changed);
  auto revalidated = site.run({"revalidate", "--tag", "source:jobs"});
  REQUIRE(revalidated.result.exit_code == 0);
  CHECK(rendered_variants(revalidated.report) == kParisPages);
  CHECK(revalidated.report["fetched"][0]["outcome"] == "updated");
  CHECK(site.read_out("nova/paris-jobs/index.html").find("Costume dresser (paris)") != std::string::npos);
  auto verify = site.run({"build", "--verify"});
  CHECK(verify.result.exit_code == 0);
  CHECK(verify.report["verify"]["differences"].empty());
}

TEST_CASE("revalidating unchanged remote data asks conditionally and renders nothing") {
  JobsApi api;
  RemoteSite site(api.url());
  REQUIRE(site.run({"build"}).result.exit_code == 0);
  auto again = site.run({"revalidate", "--tag", "source:jobs"});
  REQUIRE(again.result.exit_code == 0);
  CHECK(again.report["rendered"].empty());
  CHECK(again.report["fetched"][0]["outcome"] == "not modified");
  CHECK(again.report["fetched"][0]["status"] == 304);
  auto requests = api.requests();
  REQUIRE(requests.size() == 2);
  CHECK_FALSE(requests[1].header("if-none-match").empty());
  // A tag of one record refetches the whole source, ignoring its age, too.
  auto one = site.run({"revalidate", "--tag", "jobs:j-2"});
  CHECK(one.report["rendered"].empty());
  CHECK(api.requests().size() == 3);
}

TEST_CASE("an API answering 500 or garbage leaves every published page as it was") {
  JobsApi api;
  RemoteSite site(api.url());
  REQUIRE(site.run({"build"}).result.exit_code == 0);
  OutputTree before = OutputTree::read(site.out());
  for (auto mode : {JobsApi::Mode::kServerError, JobsApi::Mode::kGarbage}) {
    api.set_mode(mode);
    auto failed = site.run({"revalidate", "--tag", "source:jobs"});
    CHECK(failed.result.exit_code == 0);
    CHECK(failed.report["rendered"].empty());
    REQUIRE(failed.report["degraded"].size() == 1);
    const json& degraded = failed.report["degraded"][0];
    CHECK(degraded["source"] == "jobs");
    CHECK(degraded["serving"] == "stale snapshot");
    CHECK(degraded["snapshot_age_s"] == 0);
    std::string error = degraded["error"];
    CHECK(error == (mode == JobsApi::Mode::kServerError ? "HTTP 500 after 2 attempts"
                                                         : "invalid response: " + api.url() +
                                                               ":1:1: invalid JSON: syntax error while parsing value - "
                                                               "invalid literal; last read: '<'"));
    CHECK(failed.result.err.find("warning: source 'jobs': " + error) != std::string::npos);
    CHECK(OutputTree::read(site.out()).entries == before.entries);

    auto strict = site.run({"revalidate", "--tag", "source:jobs", "--strict"});
    CHECK(strict.result.exit_code == 1);
    CHECK(OutputTree::read(site.out()).entries == before.entries);
  }
  // A full build in the meantime still serves the snapshot.
  auto forced = site.run({"build", "--force"});
  CHECK(forced.result.exit_code == 0);
  CHECK(site.read_out("acme/careers/index.html").find("Dresser (paris)") != std::string::npos);
}

TEST_CASE("snapshots are reused until revalidate seconds pass, then refetched conditionally") {
  JobsApi api;
  RemoteSite site(api.url());
  REQUIRE(site.run({"build"}).result.exit_code == 0);
  CHECK(site.run({"build"}, kNow + 299).report["fetched"].empty());
  CHECK(site.run({"revalidate", "--expired"}, kNow + 299).report["fetched"].empty());
  CHECK(api.requests().size() == 1);

  api.set_body(std::string(kJobs).replace(std::string(kJobs).find("Runner"), 6, "Driver"));
  auto stale = site.run({"revalidate", "--expired"}, kNow + 300);
  REQUIRE(stale.result.exit_code == 0);
  CHECK(stale.report["fetched"][0]["outcome"] == "updated");
  CHECK(rendered_variants(stale.report) == kParisPages);
  // Once refreshed it is fresh again for another 300 s; a plain build refetches when stale.
  CHECK(site.run({"build"}, kNow + 599).report["fetched"].empty());
  auto build = site.run({"build"}, kNow + 600);
  CHECK(build.report["fetched"][0]["outcome"] == "not modified");
  CHECK_FALSE(api.requests().back().header("if-none-match").empty());
}

TEST_CASE("with no snapshot and no API, components show their empty state and the pages are degraded") {
  RefusingPort nothing;
  RemoteSite site(nothing.url("/jobs"));
  auto first = site.run({"build"});
  CHECK(first.result.exit_code == 0);
  CHECK(site.read_out("acme/careers/index.html").find("No openings right now") != std::string::npos);
  REQUIRE(first.report["degraded"].size() == 1);
  CHECK(first.report["degraded"][0]["serving"] == "nothing");
  std::set<std::string> degraded_pages;
  for (const json& page : first.report["degraded"][0]["pages"])
    degraded_pages.insert(page["page"].get<std::string>() + "/" + page["lang"].get<std::string>());
  CHECK(degraded_pages == kJobPages);
  CHECK(first.report["degraded"][0]["error"].get<std::string>().find("connect") != std::string::npos);

  SECTION("--strict fails those pages instead, and builds the rest") {
    RemoteSite strict_site(nothing.url("/jobs"));
    auto strict = strict_site.run({"build", "--strict"});
    CHECK(strict.result.exit_code == 1);
    CHECK(strict.report["failed"].size() == kJobPages.size());
    CHECK_FALSE(fs::exists(strict_site.out() / "acme/careers/index.html"));
    CHECK(fs::exists(strict_site.out() / "acme/index.html"));
  }
}

TEST_CASE("a first build offline serves the bundled fallback, and the API's data replaces it later") {
  RefusingPort nothing;
  JobsApi api;
  RemoteSite site(nothing.url("/jobs"), "fallback = \"data/jobs-fallback.json\"\n");
  site.write("content/data/jobs-fallback.json", R"([{"id": "j-1", "title": "Stage hand", "city": "berlin"}])");
  auto offline = site.run({"build"});
  REQUIRE(offline.result.exit_code == 0);
  CHECK(offline.report["degraded"][0]["serving"] == "fallback");
  CHECK(site.read_out("acme/careers/index.html").find("Stage hand (berlin)") != std::string::npos);

  site.replace("content/site.toml", nothing.url("/jobs"), api.url());
  auto online = site.run({"build"});
  REQUIRE(online.result.exit_code == 0);
  CHECK(online.report["degraded"].empty());
  CHECK(site.read_out("acme/careers/index.html").find("Dresser (paris)") != std::string::npos);
}

TEST_CASE("request headers come from the environment and the secret appears nowhere") {
  JobsApi api;
  RemoteSite site(api.url(), "headers = { Authorization = \"Bearer ${JOBS_TOKEN}\" }\n");
  auto built = site.run({"build"}, kNow, {"JOBS_TOKEN=s3cr3t-t0ken"});
  REQUIRE(built.result.exit_code == 0);
  CHECK(api.requests().at(0).header("authorization") == "Bearer s3cr3t-t0ken");
  CHECK(built.result.out.find("s3cr3t") == std::string::npos);
  for (const char* file : {".isrgen/state.db", ".isrgen/state.db-wal"})
    CHECK(read_text(site / file).find("s3cr3t") == std::string::npos);

  auto unset = site.run({"revalidate", "--tag", "source:jobs"});
  CHECK(unset.result.exit_code == 0);
  CHECK(unset.report["degraded"][0]["error"].get<std::string>().find("JOBS_TOKEN is not set") != std::string::npos);
  CHECK(api.requests().size() == 1);  // nothing sent without it
}

TEST_CASE("an API key goes to no other host the API redirects to, and the snapshot stays") {
  HttpTestServer api;
  HttpTestServer elsewhere("127.0.0.2");
  std::atomic<bool> moved{false};
  elsewhere.on("/jobs", [](const TestRequest&) {
    return TestResponse::json(R"([{"id": "x-1", "title": "Forged", "city": "berlin"}])");
  });
  api.on("/jobs", [&](const TestRequest&) {
    if (!moved) return TestResponse::json(kJobs);
    TestResponse away = TestResponse::json("", 302);
    away.headers.emplace_back("Location", elsewhere.url("/jobs"));
    return away;
  });
  RemoteSite site(api.url("/jobs"), "headers = { X-Api-Key = \"${JOBS_KEY}\" }\n");
  REQUIRE(site.run({"build"}, kNow, {"JOBS_KEY=k-12345"}).result.exit_code == 0);

  moved = true;
  auto refused = site.run({"revalidate", "--tag", "source:jobs"}, kNow, {"JOBS_KEY=k-12345"});
  CHECK(refused.result.exit_code == 0);
  REQUIRE(refused.report["degraded"].size() == 1);
  CHECK(refused.report["degraded"][0]["serving"] == "stale snapshot");
  CHECK_THAT(refused.report["degraded"][0]["error"].get<std::string>(),
             Catch::StartsWith("redirect from http://127.0.0.1:" + std::to_string(api.port()) +
                               " to another origin, http://127.0.0.2:" + std::to_string(elsewhere.port()) +
                               ", refused"));
  CHECK(refused.result.out.find("k-12345") == std::string::npos);
  CHECK(refused.result.err.find("k-12345") == std::string::npos);
  CHECK(elsewhere.request_count() == 0);
  CHECK(site.read_out("acme/careers/index.html").find("Dresser (paris)") != std::string::npos);
  CHECK(site.read_out("acme/careers/index.html").find("Forged") == std::string::npos);
}

TEST_CASE("inspect sources shows each remote source's snapshot and staleness") {
  JobsApi api;
  RemoteSite site(api.url(), "revalidate = 300\nitems_path = \"data\"\n");
  api.set_body(std::string("{\"data\": ") + kJobs + "}");
  REQUIRE(site.run({"build"}).result.exit_code == 0);
  auto fresh = site.run({"inspect", "sources"}, kNow + 10);
  REQUIRE(fresh.result.exit_code == 0);
  const json& jobs = fresh.report["sources"][0];
  CHECK(jobs["source"] == "jobs");
  CHECK(jobs["state"] == "fresh");
  CHECK(jobs["records"] == 3);
  CHECK(jobs["age_s"] == 10);
  CHECK(site.run({"inspect", "sources"}, kNow + 300).report["sources"][0]["state"] == "stale");
}
