#include "serve/dev_hosts.h"

#include <catch2/catch.hpp>

using namespace isrgen::serve;
using isrgen::SiteConfig;
using isrgen::TenantConfig;
using Kind = DevDestination::Kind;

namespace {

SiteConfig two_tenants() {
  SiteConfig config;
  config.tenants["acme"] = TenantConfig{"acme", "Acme", "https://acme.example", {}, 0};
  config.tenants["nova"] = TenantConfig{"nova", "Nova", "https://nova.example", {}, 0};
  return config;
}

}  // namespace

TEST_CASE("dev hosts: <tenant>.localhost serves that tenant's folder, the whole path inside it", "[dev_hosts]") {
  SiteConfig config = two_tenants();
  DevDestination page = route_dev_request(config, "acme.localhost:4000", "/summer/", "");
  REQUIRE(page.kind == Kind::kTenant);
  CHECK(page.route.tenant == "acme");
  CHECK(page.route.relative == "acme/summer/");
  CHECK(page.route.url_for("acme/summer/") == "/summer/");
  CHECK(route_dev_request(config, "acme.localhost:4000", "/", "").route.relative == "acme/");
  CHECK(route_dev_request(config, "acme.localhost", "/css/site.css", "").route.relative == "acme/css/site.css");
  // Browsers send lowercase names; a fully qualified name has a root dot.
  CHECK(route_dev_request(config, "NOVA.LocalHost.:4000", "/jobs/", "").route.relative == "nova/jobs/");
  CHECK(route_dev_request(config, "acme.localhost:4000", "/nova/", "").route.relative == "acme/nova/");
}

TEST_CASE("dev hosts: another host shows the index and sends tenant paths to the tenant's host", "[dev_hosts]") {
  SiteConfig config = two_tenants();
  for (const char* host : {"localhost:4000", "127.0.0.1:4000", "other.localhost:4000"}) {
    CHECK(route_dev_request(config, host, "/", "").kind == Kind::kIndex);
  }
  DevDestination moved = route_dev_request(config, "localhost:4000", "/acme/summer/", "utm=1");
  REQUIRE(moved.kind == Kind::kRedirect);
  CHECK(moved.location == "http://acme.localhost:4000/summer/?utm=1");
  CHECK(route_dev_request(config, "127.0.0.1:4000", "/nova", "").location == "http://nova.localhost:4000/");
  CHECK(route_dev_request(config, "localhost", "/acme/a b/", "").location == "http://acme.localhost/a%20b/");
  CHECK(route_dev_request(config, "localhost:4000", "/unknown/", "").kind == Kind::kNotFound);
}

TEST_CASE("dev hosts: a path that could leave its folder is not found", "[dev_hosts]") {
  SiteConfig config = two_tenants();
  for (const char* path : {"/../etc/passwd", "/a/../../x", "//x", "/a\\b", "relative", "/./x"}) {
    INFO(path);
    CHECK(route_dev_request(config, "acme.localhost:4000", path, "").kind == Kind::kNotFound);
    CHECK(route_dev_request(config, "localhost:4000", path, "").kind == Kind::kNotFound);
  }
}

TEST_CASE("dev hosts: a tenant's origin keeps the port the browser used", "[dev_hosts]") {
  CHECK(tenant_origin("acme", "localhost:4000") == "http://acme.localhost:4000");
  CHECK(tenant_origin("acme", "[::1]:4001") == "http://acme.localhost:4001");
  CHECK(tenant_origin("acme", "[::1]") == "http://acme.localhost");
  CHECK(tenant_origin("acme", "") == "http://acme.localhost");
}

TEST_CASE("dev hosts: only localhost, *.localhost and IP addresses are answered, never a rebound name",
          "[dev_hosts]") {
  for (const char* host : {"localhost:4000", "LOCALHOST", "acme.localhost:4000", "localhost.", "127.0.0.1:4000",
                           "192.168.1.5", "[::1]:4000", "[fe80::1]"})
    CHECK(is_preview_host(host));
  for (const char* host : {"", "evil.example:4000", "localhost.evil.example", "acme.localhost.evil.example",
                           "evillocalhost", "127.0.0.1.nip.io", "1.2.3", "1.2.3.4.5", "256.1.1.1", "[::1",
                           "127.0.0.01x"})
    CHECK_FALSE(is_preview_host(host));
}
