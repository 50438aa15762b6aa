#include "engine/page_lookup.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;

TEST_CASE("page_availability tells rendered, deferred and unknown URLs apart from the state index",
          "[build][prerender][lookup]") {
  ScratchDir dir;
  auto index = DepIndex::open(dir / "state.db").value();
  {
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
    auto answer = page_availability(*index, tenant, url);
    REQUIRE(answer.ok());
    return answer.value();
  };
  CHECK(ask("acme", "/summer/") == PageAvailability::kRendered);
  CHECK(ask("acme", "/summer") == PageAvailability::kRendered);
  CHECK(ask("acme", "/summer/index.html") == PageAvailability::kRendered);
  CHECK(ask("acme", "/de/winter/") == PageAvailability::kDeferred);
  CHECK(ask("acme", "/winter/") == PageAvailability::kNotAPage);
  CHECK(ask("nova", "/summer/") == PageAvailability::kNotAPage);
}
