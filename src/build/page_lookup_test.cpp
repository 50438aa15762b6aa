#include "build/page_lookup.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;

TEST_CASE("page_availability tells rendered, deferred and unknown URLs apart from the state index",
          "[build][prerender][lookup]") {
  ScratchDir dir;
  SitePaths paths = make_site_paths(dir.path(), "");
  SiteConfig config =
      parse_site_config("[tenants.acme]\nbase_url = \"https://acme.example\"\n", "content/site.toml").value();
  auto no_state = page_availability(paths, config, "acme", "/summer/");
  REQUIRE_FALSE(no_state.ok());
  CHECK_THAT(no_state.error().to_string(), Catch::Contains("run `isrgen build` first"));

  {
    auto index = DepIndex::open(paths.state_db()).value();
    auto build = index->begin_build().value();
    PageRecord summer;
    summer.key = {"acme/summer", "en"};
    summer.tenant = "acme";
    summer.url = "/summer/";
    summer.output = "acme/summer/index.html";
    build->put_page(summer);
    build->put_deferred_page({{"acme/winter", "de"}, "acme", "/de/winter/", "acme/de/winter/index.html", "h"});
    REQUIRE(build->commit({}).ok());
  }
  auto ask = [&](const std::string& tenant, const std::string& url) {
    auto answer = page_availability(paths, config, tenant, url);
    REQUIRE(answer.ok());
    return answer.value();
  };
  CHECK(ask("acme", "/summer/") == PageAvailability::kRendered);
  CHECK(ask("acme", "/summer") == PageAvailability::kRendered);
  CHECK(ask("acme", "/summer/index.html") == PageAvailability::kRendered);
  CHECK(ask("acme", "/de/winter/") == PageAvailability::kDeferred);
  CHECK(ask("acme", "/winter/") == PageAvailability::kNotAPage);
  CHECK(ask("nova", "/summer/") == PageAvailability::kNotAPage);
  CHECK(std::string(availability_name(PageAvailability::kDeferred)) == "deferred");
}
