#include "site/url_lookup.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("resolve_url accepts tenant URLs and /<tenant>/ paths") {
  auto config = parse_site_config("[tenants.acme]\nbase_url = \"https://acme.example\"\n", "content/site.toml");
  REQUIRE(config.ok());
  auto absolute = resolve_url(config.value(), "https://acme.example/summer/?utm=1");
  REQUIRE(absolute.ok());
  CHECK(absolute.value().tenant == "acme");
  CHECK(absolute.value().url == "/summer/");
  CHECK(resolve_url(config.value(), "https://acme.example").value().url == "/");
  CHECK(resolve_url(config.value(), "/acme/de/summer").value().url == "/de/summer/");
  CHECK(resolve_url(config.value(), "/acme/").value().url == "/");
  CHECK(resolve_url(config.value(), "/acme/jobs/index.html").value().url == "/jobs/");
  CHECK_FALSE(resolve_url(config.value(), "https://other.example/x/").ok());
  CHECK_FALSE(resolve_url(config.value(), "/nobody/x/").ok());
}
