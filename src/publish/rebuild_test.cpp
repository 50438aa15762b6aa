// The step of build, watch and serve: a good build is synced with the [deploy]
// of the same read of content/site.toml, a failed one is not, and a broken
// [deploy] fails the sync without keeping the build from running.
#include "publish/rebuild.h"

#include <catch2/catch.hpp>

#include "fixture_site.h"

using namespace isrgen;
using namespace isrgen::publish;
using namespace isrgen::testing;

namespace {

const std::string kBerlin = "content/pages/acme/jobs/berlin.md";

struct SyncedSite {
  FixtureSite site;
  ScratchDir target;
  ManualClock clock{1'790'000'000'000};

  RebuildRequest request(bool sync = true) const {
    RebuildRequest request;
    request.sync = sync;
    request.sync_options.target = target.path().string();
    return request;
  }
  Result<RebuildOutcome> run(const RebuildRequest& request) const {
    return rebuild(make_site_paths(site.root(), ""), request, clock);
  }
  void add_settings(const std::string& toml) const {
    site.write("content/site.toml", read_text(site / "content/site.toml") + toml);
  }
};

}  // namespace

TEST_CASE("rebuild syncs a good build and reports both parts") {
  SyncedSite synced;
  auto outcome = synced.run(synced.request());
  REQUIRE(outcome.ok());
  CHECK(outcome.value().build.failed.empty());
  CHECK_FALSE(outcome.value().build.rendered.empty());
  REQUIRE(outcome.value().sync);
  REQUIRE(outcome.value().sync->ok());
  CHECK(outcome.value().sync->value().exit_code() == 0);
  CHECK_FALSE(outcome.value().sync->value().uploaded.empty());
  CHECK(read_text(synced.target / "acme/index.html") == synced.site.read_out("acme/index.html"));
  CHECK(outcome.value().config.tenants.contains("acme"));
}

TEST_CASE("rebuild leaves a failed build, and one skip_sync refuses, unsynced") {
  SyncedSite synced;
  std::optional<Result<RebuildOutcome>> outcome;
  SECTION("a page failed") {
    synced.site.write(kBerlin, "---\ntitle: [unclosed\n---\nBroken.\n");
    outcome.emplace(synced.run(synced.request()));
    REQUIRE(outcome->ok());
    CHECK(outcome->value().build.failed.size() == 1);
    CHECK_FALSE(build_is_good(outcome->value().build));
  }
  SECTION("the run was told to skip it") {
    RebuildRequest request = synced.request();
    bool asked = false;
    request.skip_sync = [&asked] { return asked = true; };
    outcome.emplace(synced.run(request));
    CHECK(asked);
  }
  SECTION("no sync was asked") {
    outcome.emplace(synced.run(synced.request(false)));
  }
  REQUIRE(outcome->ok());
  CHECK_FALSE(outcome->value().sync);
  CHECK(fs::is_empty(synced.target.path()));
}

TEST_CASE("rebuild with a broken [deploy] builds, and the sync carries the setting's line") {
  SyncedSite synced;
  synced.add_settings("[deploy]\nmax_delete = 1\n");
  auto outcome = synced.run(synced.request());
  REQUIRE(outcome.ok());
  CHECK(build_is_good(outcome.value().build));
  CHECK(fs::exists(synced.site.out() / "acme/index.html"));
  REQUIRE(outcome.value().sync);
  REQUIRE_FALSE(outcome.value().sync->ok());
  CHECK(outcome.value().sync->error().to_string().starts_with("content/site.toml:"));
  CHECK_THAT(outcome.value().sync->error().message, Catch::Contains("unknown setting 'deploy.max_delete'"));
  CHECK(fs::is_empty(synced.target.path()));

  // A build that does not sync does not read [deploy] at all.
  auto unsynced = synced.run(synced.request(false));
  REQUIRE(unsynced.ok());
  CHECK_FALSE(unsynced.value().sync);
}

TEST_CASE("rebuild syncs to the [deploy] target of the same read as the build") {
  SyncedSite synced;
  synced.add_settings("[deploy]\ntarget = \"public\"\n");
  RebuildRequest request = synced.request();
  request.sync_options.target.clear();
  auto outcome = synced.run(request);
  REQUIRE(outcome.ok());
  REQUIRE(outcome.value().sync);
  REQUIRE(outcome.value().sync->ok());
  CHECK(read_text(synced.site / "public/acme/index.html") == synced.site.read_out("acme/index.html"));
}

TEST_CASE("rebuild of settings that cannot be read is the build's error, with the way out") {
  SyncedSite synced;
  fs::remove(synced.site / "content/site.toml");
  auto outcome = synced.run(synced.request());
  REQUIRE_FALSE(outcome.ok());
  CHECK_THAT(outcome.error().message, Catch::Contains("is --site the site folder?"));
  CHECK(fs::is_empty(synced.target.path()));
}
