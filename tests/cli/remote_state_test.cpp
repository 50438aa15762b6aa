// `--state`: two runners (two copies of one site, each starting without
// .isrgen/ or out/) sharing one s3rver bucket for their state and their sync
// target, checked with an independent client (awscli) and a purge webhook.
#include <set>

#include <catch2/catch.hpp>

#include "fixture_site.h"
#include "http_test_server.h"
#include "s3rver.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

const std::string kState = "s3://site/state";
const std::string kBerlin = "content/pages/acme/jobs/berlin.md";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// One CI runner: a fresh copy of the site, with deploy settings and a purge
// webhook; its builds take `now` (seconds; 0: the clock) as the time.
struct Runner {
  FixtureSite site;
  const S3rver& s3;
  int64_t now = 0;

  Runner(const S3rver& server, const std::string& purge_url, int64_t fixed_now = 0) : s3(server), now(fixed_now) {
    site.write("content/site.toml", read_text(site / "content/site.toml") +
                                        "[deploy]\ntarget = \"s3://site/www\"\nretry_delay_ms = 1\n"
                                        "[deploy.purge]\nprovider = \"webhook\"\nurl = \"" +
                                        purge_url + "\"\nsecret = \"hush\"\n");
  }
  CommandResult run(const std::string& command, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {command, "--site", site.root().string(), "--state", kState, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<std::string> environment = s3.environment();
    if (now > 0) environment.push_back("ISRGEN_NOW=" + std::to_string(now));
    CommandResult result = run_isrgen(args, environment);
    INFO(command << ": " << result.err);
    return result;
  }
};

std::string lease_note(int64_t expires_ms) {
  return json{{"holder", "0123"},       {"host", "runner-7"},       {"pid", 4242},
              {"command", "isrgen build"}, {"acquired_ms", expires_ms - 300'000}, {"expires_ms", expires_ms}}
      .dump();
}

}  // namespace

TEST_CASE("cli remote state: a second runner renders, uploads and purges only the page its commit changed") {
  HttpTestServer hook;
  hook.on("/purge", [](const TestRequest&) { return TestResponse{}; });
  S3rver s3;
  // A day apart, so that the page's new date reaches the tenant's sitemap.
  Runner a(s3, hook.url("/purge"), 1'790'000'000);
  CommandResult a_build = a.run("build");
  REQUIRE(a_build.exit_code == 0);
  CHECK(contains(a_build.err, "state: none at s3://site/state/ yet"));
  CHECK(contains(a_build.err, "state: stored generation 1"));
  REQUIRE(a.run("sync").exit_code == 0);
  REQUIRE(hook.requests().size() == 1);

  Runner b(s3, hook.url("/purge"), 1'790'086'400);
  b.site.replace(kBerlin, "Jobs in Berlin.", "Jobs in Berlin, and more.");
  CommandResult b_build = b.run("build");
  REQUIRE(b_build.exit_code == 0);
  CHECK(contains(b_build.err, "state: fetched generation 2"));
  json built = json::parse(b_build.out);
  CHECK(built["stats"]["rendered"] == 1);
  REQUIRE(built["rendered"].size() == 1);
  CHECK(built["rendered"][0]["page"] == "acme/jobs/berlin");

  CommandResult b_sync = b.run("sync");
  REQUIRE(b_sync.exit_code == 0);
  json synced = json::parse(b_sync.out);
  // The page, and the sitemap that dates it.
  std::set<std::string> uploaded;
  for (const json& object : synced["uploaded"]) uploaded.insert(object["key"].get<std::string>());
  CHECK(uploaded == std::set<std::string>{"acme/jobs/berlin/index.html", "acme/sitemap.xml"});
  CHECK(synced["deleted"].empty());
  REQUIRE(hook.requests().size() == 2);
  json purge = json::parse(hook.requests()[1].body);
  CHECK(purge["tags"] == json::array({"page:acme/jobs/berlin"}));
  CHECK(std::count(purge["paths"].begin(), purge["paths"].end(), "/acme/jobs/berlin/") == 1);
  // What the bucket serves, as another client reads it.
  ScratchDir download;
  s3.aws("s3api get-object --bucket site --key www/acme/jobs/berlin/index.html " + (download / "page").string());
  CHECK(contains(read_text(download / "page"), "Jobs in Berlin, and more."));
  CHECK(read_text(download / "page") == b.site.read_out("acme/jobs/berlin/index.html"));
  // The state's lease was released, and the state has moved on.
  CHECK_FALSE(contains(s3.aws("s3api list-objects-v2 --bucket site --prefix state/"), "state/lock.json"));
  CHECK(json::parse(s3.aws("s3api list-objects-v2 --bucket site --prefix state/manifest.json"))["Contents"].size() == 1);
}

TEST_CASE("cli remote state: a lease held by another run stops the run with exit 2, an expired one is taken over") {
  HttpTestServer hook;
  hook.on("/purge", [](const TestRequest&) { return TestResponse{}; });
  S3rver s3;
  Runner runner(s3, hook.url("/purge"));
  ScratchDir io;
  const int64_t now_ms = static_cast<int64_t>(std::time(nullptr)) * 1000;

  write_text(io / "lock.json", lease_note(now_ms + 600'000));
  s3.aws("s3api put-object --bucket site --key state/lock.json --body " + (io / "lock.json").string());
  CommandResult held = runner.run("build");
  CHECK(held.exit_code == 2);
  CHECK(contains(held.err, "the site's remote state is in use by isrgen build (pid 4242 on runner-7"));
  CHECK(contains(held.err, "--state-wait SECONDS"));
  CHECK_FALSE(fs::exists(runner.site.out()));  // nothing ran

  write_text(io / "lock.json", lease_note(now_ms - 1000));
  s3.aws("s3api put-object --bucket site --key state/lock.json --body " + (io / "lock.json").string());
  CommandResult taken = runner.run("build");
  CHECK(taken.exit_code == 0);
  CHECK(contains(taken.err, "state: took over the expired lease of isrgen build (pid 4242 on runner-7"));
  CHECK(contains(taken.err, "state: stored generation 1"));
}

TEST_CASE("cli remote state: a run that fails stores only the deploy state, and a fresh runner still gets the last good state") {
  HttpTestServer hook;
  hook.on("/purge", [](const TestRequest&) { return TestResponse{}; });
  S3rver s3;
  Runner a(s3, hook.url("/purge"));
  REQUIRE(a.run("build").exit_code == 0);
  // A broken site.toml: the run stops with exit 2 before it builds.
  a.site.write("content/site.toml", read_text(a.site / "content/site.toml") + "[site\n");
  CommandResult broken = a.run("build");
  CHECK(broken.exit_code == 2);
  CHECK(contains(broken.err, "state: stored generation 2 to s3://site/state/ (0 objects"));

  Runner b(s3, hook.url("/purge"));
  CommandResult fresh = b.run("build");
  REQUIRE(fresh.exit_code == 0);
  CHECK(json::parse(fresh.out)["stats"]["rendered"] == 0);
}
