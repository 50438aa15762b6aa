#include "engine/tenant_files.h"

#include <catch2/catch.hpp>

#include "test_support.h"
#include "util/fs.h"

using namespace isrgen;

namespace {

SiteConfig site(bool sitemap = true, std::optional<std::string> robots = std::nullopt) {
  SiteConfig config;
  config.languages = {"en", "de"};
  TenantConfig& acme = config.tenants["acme"];
  acme.id = "acme";
  acme.base_url = "https://acme.example";
  acme.sitemap = sitemap;
  acme.robots = std::move(robots);
  return config;
}

PageRecord page(const std::string& slug, const std::string& lang, const std::string& url) {
  PageRecord record;
  record.key = {"acme/" + slug, lang};
  record.tenant = "acme";
  record.url = url;
  record.generated_at_ms = 1000;
  return record;
}

}  // namespace

TEST_CASE("robots.txt: allow all by default, the tenant's rules when set, the sitemap named either way") {
  CHECK(robots_txt(site().tenants["acme"]) == "User-agent: *\nAllow: /\n\nSitemap: https://acme.example/sitemap.xml\n");
  CHECK(robots_txt(site(true, "User-agent: *\nDisallow: /drafts/").tenants["acme"]) ==
        "User-agent: *\nDisallow: /drafts/\n\nSitemap: https://acme.example/sitemap.xml\n");
  CHECK(robots_txt(site(false).tenants["acme"]) == "User-agent: *\nAllow: /\n");
}

TEST_CASE("tenant files: written once, left alone when unchanged, parts and files removed when no longer wanted") {
  testing::ScratchDir dir;
  RealDisk disk;
  REQUIRE(disk.prepare_output(dir.path()).ok());
  std::vector<PageRecord> records = {page("index", "en", "/"), page("a", "en", "/a/"), page("b", "en", "/b/")};
  std::map<std::string, StoredStaticFile> statics;
  TenantFileInputs inputs;
  for (const PageRecord& record : records) inputs.pages.push_back(&record);
  inputs.static_files = &statics;
  inputs.not_found_pages = {{"acme/404.html", "en 404"}, {"acme/de/404.html", "de 404"}};

  auto first = write_tenant_files(dir.path(), site(), inputs, disk, {.max_urls = 2});
  CHECK(first.errors.empty());
  CHECK(first.written == std::vector<std::string>{"acme/sitemap.xml", "acme/sitemap-1.xml", "acme/sitemap-2.xml",
                                                  "acme/robots.txt", "acme/404.html", "acme/de/404.html"});
  CHECK(testing::read_text(dir.path() / "acme/de/404.html") == "de 404");

  std::string before = file_signature(dir.path() / "acme/sitemap-1.xml");
  auto again = write_tenant_files(dir.path(), site(), inputs, disk, {.max_urls = 2});
  CHECK(again.written.empty());
  CHECK(again.removed.empty());
  CHECK(file_signature(dir.path() / "acme/sitemap-1.xml") == before);

  SECTION("fewer URLs: one file again, the parts removed") {
    auto smaller = write_tenant_files(dir.path(), site(), inputs, disk);
    CHECK(smaller.removed == std::vector<std::string>{"acme/sitemap-1.xml", "acme/sitemap-2.xml"});
    CHECK(testing::read_text(dir.path() / "acme/sitemap.xml").find("<urlset") != std::string::npos);
  }
  SECTION("sitemap off, no 404 layout: those files go, robots.txt loses its Sitemap line") {
    inputs.not_found_pages.clear();
    auto off = write_tenant_files(dir.path(), site(false), inputs, disk, {.max_urls = 2});
    CHECK(off.written == std::vector<std::string>{"acme/robots.txt"});
    CHECK(off.removed == std::vector<std::string>{"acme/sitemap-1.xml", "acme/sitemap-2.xml", "acme/sitemap.xml",
                                                  "acme/404.html", "acme/de/404.html"});
    CHECK(testing::read_text(dir.path() / "acme/robots.txt") == "User-agent: *\nAllow: /\n");
  }
  SECTION("a 404 page that failed keeps its last file") {
    inputs.not_found_pages.erase("acme/de/404.html");
    inputs.not_found_failed.insert("acme/de/404.html");
    CHECK(write_tenant_files(dir.path(), site(), inputs, disk, {.max_urls = 2}).removed.empty());
    CHECK(testing::read_text(dir.path() / "acme/de/404.html") == "de 404");
  }
  SECTION("a tenant gone takes its files along") {
    SiteConfig other = site();
    other.tenants.clear();
    other.tenants["nova"].id = "nova";
    other.tenants["nova"].base_url = "https://nova.example";
    inputs.former_tenants = {"acme"};
    auto gone = write_tenant_files(dir.path(), other, inputs, disk);
    CHECK(gone.removed.size() == 6);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "acme"));
  }
}

TEST_CASE("tenant files: a static robots.txt or 404 page wins; a static sitemap is an error") {
  testing::ScratchDir dir;
  RealDisk disk;
  REQUIRE(disk.prepare_output(dir.path()).ok());
  testing::write_text(dir.path() / "acme/robots.txt", "static robots");
  testing::write_text(dir.path() / "acme/404.html", "static 404");
  testing::write_text(dir.path() / "acme/sitemap.xml", "static sitemap");
  std::map<std::string, StoredStaticFile> statics = {
      {"acme/robots.txt", {}}, {"acme/404.html", {}}, {"acme/sitemap.xml", {}}};
  TenantFileInputs inputs;
  inputs.static_files = &statics;
  inputs.not_found_pages = {{"acme/404.html", "generated"}};
  auto outcome = write_tenant_files(dir.path(), site(), inputs, disk);
  REQUIRE(outcome.errors.size() == 1);
  CHECK(outcome.errors[0].to_string() ==
        "static/acme/sitemap.xml: takes the place of the tenant's sitemap; rename the static file or turn the sitemap "
        "off ([tenants.acme] sitemap = false)");
  CHECK(outcome.written.empty());
  CHECK(testing::read_text(dir.path() / "acme/robots.txt") == "static robots");
  CHECK(testing::read_text(dir.path() / "acme/404.html") == "static 404");
  CHECK(testing::read_text(dir.path() / "acme/sitemap.xml") == "static sitemap");
}
