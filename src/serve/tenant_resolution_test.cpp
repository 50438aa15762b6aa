#include "serve/tenant_resolution.h"

#include <catch2/catch.hpp>

using namespace isrgen::serve;
using isrgen::SiteConfig;
using isrgen::TenantConfig;

namespace {

SiteConfig two_tenants() {
  SiteConfig config;
  config.tenants["acme"] = TenantConfig{"acme", "Acme", "https://acme.example", {}, 0};
  config.tenants["globex"] = TenantConfig{"globex", "Globex", "http://globex.test:8080", {}, 0};
  config.tenants["local"] = TenantConfig{"local", "No base URL", "", {}, 0};
  return config;
}

}  // namespace

TEST_CASE("tenant resolution: the Host header selects the tenant of that base_url", "[tenant_resolution]") {
  SiteConfig config = two_tenants();
  auto route = resolve_tenant(config, "acme.example", "/summer/");
  REQUIRE(route);
  CHECK(route->tenant == "acme");
  CHECK(route->relative == "acme/summer/");
  CHECK(route->by_host);
  CHECK(resolve_tenant(config, "acme.example", "/")->relative == "acme/");
  CHECK(resolve_tenant(config, "acme.example", "/css/site.css")->relative == "acme/css/site.css");
  // The whole path is inside the tenant, even when it starts like another one.
  CHECK(resolve_tenant(config, "acme.example", "/globex/")->relative == "acme/globex/");
}

TEST_CASE("tenant resolution: hosts compare in any case, ports only when base_url has one", "[tenant_resolution]") {
  SiteConfig config = two_tenants();
  CHECK(resolve_tenant(config, "ACME.Example", "/summer/")->tenant == "acme");
  CHECK(resolve_tenant(config, " acme.example. ", "/summer/")->tenant == "acme");
  CHECK(resolve_tenant(config, "acme.example:443", "/summer/")->tenant == "acme");
  CHECK(resolve_tenant(config, "acme.example:8443", "/summer/")->tenant == "acme");
  CHECK(resolve_tenant(config, "globex.test:8080", "/jobs/")->relative == "globex/jobs/");
  // base_url names port 8080: another port, or none (80 for http), is not it.
  CHECK_FALSE(resolve_tenant(config, "globex.test:9090", "/jobs/"));
  CHECK_FALSE(resolve_tenant(config, "globex.test", "/jobs/"));
  CHECK_FALSE(resolve_tenant(config, "acme.example.evil", "/summer/"));
}

TEST_CASE("tenant resolution: otherwise the first path segment names the tenant", "[tenant_resolution]") {
  SiteConfig config = two_tenants();
  for (const char* host : {"", "localhost:8080", "[::1]:8080", "127.0.0.1"}) {
    auto route = resolve_tenant(config, host, "/acme/summer/");
    REQUIRE(route);
    CHECK(route->tenant == "acme");
    CHECK(route->relative == "acme/summer/");
    CHECK_FALSE(route->by_host);
  }
  CHECK(resolve_tenant(config, "", "/acme")->relative == "acme");
  CHECK(resolve_tenant(config, "", "/acme/")->relative == "acme/");
  CHECK(resolve_tenant(config, "", "/local/index.html")->relative == "local/index.html");
}

TEST_CASE("tenant resolution: an unknown tenant resolves to nothing", "[tenant_resolution]") {
  SiteConfig config = two_tenants();
  CHECK_FALSE(resolve_tenant(config, "", "/"));
  CHECK_FALSE(resolve_tenant(config, "", "/initech/summer/"));
  CHECK_FALSE(resolve_tenant(config, "unknown.example", "/nobody/"));
  CHECK_FALSE(resolve_tenant(config, "", "/ACME/summer/"));  // folder names are case-sensitive
  CHECK_FALSE(resolve_tenant(config, "", "acme/summer/"));   // not an absolute path
}

TEST_CASE("tenant resolution: paths that could leave the tenant's folder are refused", "[tenant_resolution]") {
  SiteConfig config = two_tenants();
  for (const char* path : {"/acme/../globex/", "/acme/..", "/..", "/acme/./summer/", "/acme/.", "/./acme/",
                           "/acme//summer/", "//acme/", "/acme/a\\..\\b", "/acme\\summer"}) {
    INFO(path);
    CHECK_FALSE(resolve_tenant(config, "", path));
    CHECK_FALSE(resolve_tenant(config, "acme.example", path));
  }
  CHECK_FALSE(resolve_tenant(config, "", std::string("/acme/a\0b", 9)));
  // Dots inside a name are fine.
  CHECK(resolve_tenant(config, "", "/acme/..well/.hidden/a..b")->relative == "acme/..well/.hidden/a..b");
}

TEST_CASE("tenant resolution: url_for maps out/ paths back into the request's URL space", "[tenant_resolution]") {
  SiteConfig config = two_tenants();
  auto by_host = resolve_tenant(config, "acme.example", "/summer");
  REQUIRE(by_host);
  CHECK(by_host->url_for("acme/summer/") == "/summer/");
  CHECK(by_host->url_for("acme/") == "/");
  CHECK(by_host->url_for("acme") == "/");
  auto by_segment = resolve_tenant(config, "", "/acme/summer");
  REQUIRE(by_segment);
  CHECK(by_segment->url_for("acme/summer/") == "/acme/summer/");
  CHECK(by_segment->url_for("acme/") == "/acme/");
  // Ready for a Location header.
  CHECK(by_host->url_for("acme/sale 50%/") == "/sale%2050%25/");
  CHECK(by_segment->url_for("acme/caf\xc3\xa9/") == "/acme/caf%C3%A9/");
}
