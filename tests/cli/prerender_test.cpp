// [build] prerender = "high" as users and the ISR origin see it: only pages of
// priority high are rendered ahead, the others wait for a request by URL and
// are tracked like any page once rendered; the origin can tell deferred pages
// from unknown URLs, and stale pages from fresh ones, from the state index.
// The origin's builds run with the options `isrgen serve` gives its jobs
// (serve/work_build.h), not options of the tests' own.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "data/curl_fetcher.h"
#include "engine/builder.h"
#include "engine/page_lookup.h"
#include "engine/page_staleness.h"
#include "remote_site.h"
#include "serve/work_build.h"

using namespace isrgen;
using namespace isrgen::testing;
using nlohmann::json;

namespace {

void prerender_high(const FixtureSite& site) {
  site.write("content/site.toml", read_text(site / "content/site.toml") + "\n[build]\nprerender = \"high\"\n");
}

// The fixture site with prerender = "high": acme/index (en and de) is its only
// high-priority page; acme/all, acme/jobs/berlin and nova/index wait.
struct DeferringSite : FixtureSite {
  DeferringSite() { prerender_high(*this); }

  json run(std::vector<std::string> args) const {
    args.insert(args.end(), {"--site", root().string(), "--json"});
    CommandResult result = run_isrgen(args);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return json::parse(result.out);
  }
  // What the origin asks the state index before it queues a first request's build.
  PageAvailability availability(const std::string& tenant, const std::string& url) const {
    auto index = DepIndex::open(make_site_paths(root(), "").state_db());
    REQUIRE(index.ok());
    auto answer = page_availability(*index.value(), tenant, url);
    REQUIRE(answer.ok());
    return answer.value();
  }
};

const std::set<std::string> kHighPages = {"acme/index/de", "acme/index/en"};

}  // namespace

TEST_CASE("prerender high renders only high-priority pages and defers the rest", "[cli][prerender]") {
  DeferringSite site;
  auto first = site.build();
  INFO(first.result.err);
  REQUIRE(first.result.exit_code == 0);
  CHECK(rendered_variants(first.report) == kHighPages);
  CHECK(first.report["failed"].empty());
  CHECK(first.report["stats"]["pages"] == 5);
  CHECK(first.report["stats"]["deferred"] == 3);
  CHECK(first.report["stats"]["unchanged"] == 0);
  CHECK(first.report["stats"]["prepared"] == 5);  // the first build must read every page to learn its priority
  CHECK(fs::exists(site.out() / "acme/index.html"));
  CHECK(fs::exists(site.out() / "acme/de/index.html"));
  CHECK_FALSE(fs::exists(site.out() / "acme/all/index.html"));
  CHECK_FALSE(fs::exists(site.out() / "nova/index.html"));

  CHECK(site.availability("acme", "/") == PageAvailability::kRendered);
  CHECK(site.availability("acme", "/all/") == PageAvailability::kDeferred);
  CHECK(site.availability("nova", "/") == PageAvailability::kDeferred);
  CHECK(site.availability("acme", "/nothing/") == PageAvailability::kNotAPage);

  auto inspect = run_isrgen({"inspect", "page", "acme/all", "--site", site.root().string()});
  CHECK(inspect.exit_code == 0);
  CHECK_THAT(inspect.out, Catch::Contains("deferred") && Catch::Contains("revalidate --path /acme/all/"));
  auto inspect_json = run_isrgen({"inspect", "page", "nova/index", "--site", site.root().string(), "--json"});
  CHECK(json::parse(inspect_json.out)["deferred"] == true);

  SECTION("a build of the unchanged site renders nothing and reads no deferred page again") {
    auto noop = site.build();
    CHECK(noop.report["rendered"].empty());
    CHECK(noop.report["stats"]["deferred"] == 3);
    CHECK(noop.report["stats"]["prepared"] == 0);
    CHECK(noop.report["stats"]["unchanged"] == 2);
    auto human = run_isrgen({"build", "--site", site.root().string()});
    CHECK_THAT(human.err, Catch::Contains("5 pages, 0 rendered") && Catch::Contains("3 deferred"));
  }
  SECTION("--force re-renders what is rendered and still defers the rest") {
    auto forced = site.build({"--force"});
    CHECK(rendered_variants(forced.report) == kHighPages);
    CHECK(forced.report["stats"]["deferred"] == 3);
  }
  SECTION("a deferred page edited to priority high renders; one edited otherwise stays deferred") {
    site.replace("content/pages/nova/index.md", "title: Nova", "title: Nova\npriority: high");
    site.replace("content/pages/acme/all.md", "title: All models", "title: Every model");
    auto edited = site.build();
    CHECK(rendered_variants(edited.report) == std::set<std::string>{"nova/index/en"});
    CHECK(edited.report["stats"]["prepared"] == 2);
    CHECK(edited.report["stats"]["deferred"] == 2);
    CHECK_FALSE(fs::exists(site.out() / "acme/all/index.html"));
  }
  SECTION("prerender all renders the deferred pages") {
    site.replace("content/site.toml", "prerender = \"high\"", "prerender = \"all\"");
    auto all = site.build();
    CHECK(all.report["stats"]["deferred"] == 0);
    // [build] does not change what pages look like: only the pages that waited render.
    CHECK(rendered_variants(all.report) ==
          std::set<std::string>{"acme/all/en", "acme/jobs/berlin/en", "nova/index/en"});
    CHECK(site.availability("acme", "/all/") == PageAvailability::kRendered);
  }
}

TEST_CASE("revalidate --path renders a deferred page, which is tracked from then on", "[cli][prerender]") {
  DeferringSite site;
  REQUIRE(site.build().result.exit_code == 0);
  json by_path = site.run({"revalidate", "--path", "/acme/all/"});
  CHECK(rendered_variants(by_path) == std::set<std::string>{"acme/all/en"});
  CHECK(by_path["rendered"][0]["reasons"] == json::array({"new page", "path:/acme/all/"}));
  CHECK(by_path["stats"]["deferred"] == 2);
  CHECK(site.read_out("acme/all/index.html").find("Ada (fashion)") != std::string::npos);
  CHECK(site.availability("acme", "/all/") == PageAvailability::kRendered);
  CHECK(site.build().report["rendered"].empty());

  // acme/all shows every model: a changed record re-renders it like any rendered page.
  site.replace("content/data/models.json", "\"name\": \"Dan\"", "\"name\": \"Dana\"");
  auto changed = site.build();
  CHECK(rendered_variants(changed.report) == std::set<std::string>{"acme/all/en"});
  CHECK(site.read_out("acme/all/index.html").find("Dana (editorial)") != std::string::npos);
  CHECK(changed.report["stats"]["deferred"] == 2);

  // A page tag reaches rendered pages only; deferred pages have no tags yet.
  json by_tag = site.run({"revalidate", "--tag", "tenant:acme"});
  CHECK(rendered_variants(by_tag) == std::set<std::string>{"acme/all/en", "acme/index/de", "acme/index/en"});

  auto verify = site.build({"--verify"});
  CHECK(verify.result.exit_code == 0);
  CHECK(verify.report["verify"]["differences"].empty());

  fs::remove(site / "content/pages/acme/all.md");
  auto removed = site.build();
  CHECK(removed.report["deleted"] == json::array({"acme/all/index.html"}));
}

// The origin's first request of a deferred page queues a job whose only path
// is the page's URL ("/<tenant>/<url>", isr_origin.cpp); a URL that is no page
// is a 404 that queues nothing.
TEST_CASE("the origin's build for a deferred page's first request renders that page alone", "[cli][prerender]") {
  DeferringSite site;
  REQUIRE(site.build().result.exit_code == 0);
  REQUIRE(site.availability("nova", "/") == PageAvailability::kDeferred);
  SystemClock clock;
  BuildOptions options = serve::build_options_for({{}, {"/nova/"}});
  auto first = run_build(make_site_paths(site.root(), ""), options, clock);
  REQUIRE(first.ok());
  REQUIRE(first.value().rendered.size() == 1);
  CHECK(first.value().rendered[0].page == "nova/index");
  CHECK(reason_texts(first.value().rendered[0].reasons) == std::vector<std::string>{"new page", "path:/nova/"});
  CHECK(first.value().prepared == 1);
  CHECK(first.value().deferred == 2);
  CHECK(fs::exists(site.out() / "nova/index.html"));
  // From now on the origin serves the file, and builds keep it up to date.
  CHECK(site.availability("nova", "/") == PageAvailability::kRendered);
  CHECK(site.build().report["rendered"].empty());

  CHECK(site.availability("acme", "/nothing/") == PageAvailability::kNotAPage);
  CHECK(site.availability("nobody", "/") == PageAvailability::kNotAPage);
}

TEST_CASE("a bad prerender value is an error at its line in site.toml", "[cli][prerender]") {
  FixtureSite site;
  const std::string settings = read_text(site / "content/site.toml");
  const auto line = std::count(settings.begin(), settings.end(), '\n') + 2;
  site.write("content/site.toml", settings + "[build]\nprerender = \"some\"\n");
  auto build = site.build();
  CHECK(build.result.exit_code == 2);
  CHECK_THAT(build.result.err, Catch::Contains("content/site.toml:" + std::to_string(line) +
                                               ": [build] prerender must be \"all\"") &&
                                   Catch::Contains("\"high\""));
  CHECK_FALSE(fs::exists(site.out() / "acme/index.html"));
}

TEST_CASE("the origin sees a page go stale with its source, and revalidating re-renders only changed data",
          "[cli][prerender][staleness]") {
  JobsApi api;
  RemoteSite site(api.url());
  prerender_high(site);
  auto first = site.run({"build"});
  REQUIRE(first.result.exit_code == 0);
  CHECK(rendered_variants(first.report) == kHighPages);
  auto rendered_by_path = site.run({"revalidate", "--path", "/acme/berlin-jobs/"});
  REQUIRE(rendered_by_path.result.exit_code == 0);
  CHECK(rendered_variants(rendered_by_path.report) == std::set<std::string>{"acme/berlin-jobs/en"});

  const SitePaths paths = make_site_paths(site.root(), "");
  const SiteConfig config = load_site_config(paths).value();
  auto staleness = [&] {
    auto index = DepIndex::open(paths.state_db()).value();
    return StalenessIndex::load(*index, config).value();
  };
  const std::string berlin = "acme/berlin-jobs/index.html";
  const int64_t fetched_ms = kNow * 1000;
  CHECK(staleness().stale_sources_of_output(berlin, fetched_ms + 299'999).empty());
  CHECK(staleness().stale_sources_of_output(berlin, fetched_ms + 300'000) == std::vector<std::string>{"jobs"});
  CHECK(staleness().stale_sources_of_output("acme/index.html", fetched_ms + 300'000).empty());

  // Unchanged data: refetched (a 304), nothing renders, the page is fresh again.
  auto unchanged = site.run({"revalidate", "--tag", "source:jobs"}, kNow + 300);
  CHECK(unchanged.report["fetched"][0]["outcome"] == "not modified");
  CHECK(unchanged.report["rendered"].empty());
  CHECK(staleness().stale_sources_of_output(berlin, fetched_ms + 300'000).empty());

  // Changed data: the rendered page showing it re-renders; deferred pages stay deferred.
  api.set_body(R"([{"id": "j-1", "title": "Stage manager", "city": "berlin"}])");
  auto changed = site.run({"revalidate", "--tag", "source:jobs"}, kNow + 600);
  CHECK(changed.report["fetched"][0]["outcome"] == "updated");
  CHECK(rendered_variants(changed.report) == std::set<std::string>{"acme/berlin-jobs/en"});
  CHECK(site.read_out(berlin).find("Stage manager") != std::string::npos);
  CHECK(changed.report["stats"]["deferred"] == 6);  // the fixture's three, careers (en, de) and paris-jobs
  CHECK_FALSE(fs::exists(site.out() / "acme/careers/index.html"));

  // revalidate --path --expired refetches the stale source before rendering the page.
  const size_t requests_before = api.requests().size();
  auto by_path = site.run({"revalidate", "--path", "/acme/berlin-jobs/", "--expired"}, kNow + 900);
  CHECK(api.requests().size() == requests_before + 1);
  CHECK(by_path.report["fetched"][0]["outcome"] == "not modified");
}

// A first request waits for a render, never for an API: the origin's build
// renders the deferred page from the snapshot it has. The page is then stale,
// so the origin serves it STALE and queues the refresh of its sources, whose
// build refetches them and re-renders the page only if its data changed.
TEST_CASE("the origin renders a deferred page with stale data from its snapshot, then refreshes it",
          "[cli][prerender][staleness]") {
  JobsApi api;
  RemoteSite site(api.url());
  prerender_high(site);
  REQUIRE(site.run({"build"}).result.exit_code == 0);
  const SitePaths paths = make_site_paths(site.root(), "");
  const SiteConfig config = load_site_config(paths).value();
  ManualClock clock(kNow * 1000 + 300'000);  // jobs was fetched at kNow: stale now
  data::CurlFetcher fetcher;
  api.set_body(R"([{"id": "j-9", "title": "Gaffer", "city": "rome"}])");
  const size_t requests_before = api.requests().size();

  BuildOptions first_request = serve::build_options_for({{}, {"/acme/careers/"}});
  first_request.fetcher = &fetcher;
  auto first = run_build(paths, first_request, clock);
  REQUIRE(first.ok());
  CHECK(api.requests().size() == requests_before);
  CHECK(first.value().rendered.size() == 1);  // acme/careers in English; its German translation waits
  CHECK(site.read_out("acme/careers/index.html").find("Stage hand (berlin)") != std::string::npos);

  auto stale_sources = [&] {
    auto index = DepIndex::open(paths.state_db()).value();
    return StalenessIndex::load(*index, config).value().stale_sources_of_output("acme/careers/index.html",
                                                                                clock.now_unix_ms());
  };
  REQUIRE(stale_sources() == std::vector<std::string>{"jobs"});
  BuildOptions refresh = serve::build_options_for({revalidation_tags(stale_sources()), {}});
  refresh.fetcher = &fetcher;
  auto refreshed = run_build(paths, refresh, clock);
  REQUIRE(refreshed.ok());
  REQUIRE(refreshed.value().fetched.size() == 1);
  CHECK(refreshed.value().fetched[0].outcome == data::FetchResult::kUpdated);
  CHECK(refreshed.value().rendered.size() == 1);  // the German page is still deferred
  CHECK(site.read_out("acme/careers/index.html").find("Gaffer (rome)") != std::string::npos);
  CHECK(stale_sources().empty());

  clock.advance_ms(300'000);  // stale again, same data: a 304 and no render
  auto again = run_build(paths, refresh, clock);
  REQUIRE(again.ok());
  REQUIRE(again.value().fetched.size() == 1);
  CHECK(again.value().fetched[0].outcome == data::FetchResult::kNotModified);
  CHECK(again.value().rendered.empty());
}
