#include "engine/precache_manifest.h"

#include <catch2/catch.hpp>

#include "test_support.h"
#include "util/fs.h"

using namespace isrgen;

namespace {

PageRecord page(const std::string& tenant, const std::string& slug, const std::string& url, const std::string& hash) {
  PageRecord record;
  record.key = {tenant + "/" + slug, "en"};
  record.tenant = tenant;
  record.url = url;
  record.output_hash = hash;
  return record;
}

SiteConfig tenants(bool acme_precache) {
  SiteConfig config;
  config.tenants["acme"].id = "acme";
  config.tenants["acme"].precache = acme_precache;
  config.tenants["nova"].id = "nova";
  return config;
}

}  // namespace

TEST_CASE("precache manifest: Workbox's array of url and revision, sorted, one entry a line") {
  CHECK(precache_manifest_json({{"/summer/", "b2"}, {"/", "a1"}}) ==
        "[\n  {\"url\":\"/\",\"revision\":\"a1\"},\n  {\"url\":\"/summer/\",\"revision\":\"b2\"}\n]\n");
  CHECK(precache_manifest_json({}) == "[\n]\n");
}

TEST_CASE("precache manifest: a tenant's pages and static files, only for tenants that ask, rewritten on change") {
  testing::ScratchDir dir;
  RealDisk disk;
  REQUIRE(disk.prepare_output(dir.path()).ok());
  const std::vector<PageRecord> records = {page("acme", "index", "/", "h1"), page("acme", "summer", "/summer/", "h2"),
                                           page("nova", "index", "/", "h3")};
  std::vector<const PageRecord*> pages;
  for (const PageRecord& record : records) pages.push_back(&record);
  std::map<std::string, StoredStaticFile> statics = {{"acme/css/site.css", {"h4", ""}}, {"nova/logo.png", {"h5", ""}}};

  auto first = write_precache_manifests(dir.path(), tenants(true), pages, statics, disk);
  CHECK(first.errors.empty());
  CHECK(first.written == std::vector<std::string>{"acme/precache-manifest.json"});
  CHECK(testing::read_text(dir.path() / "acme/precache-manifest.json") ==
        precache_manifest_json({{"/", "h1"}, {"/summer/", "h2"}, {"/css/site.css", "h4"}}));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "nova/precache-manifest.json"));

  std::string before = file_signature(dir.path() / "acme/precache-manifest.json");
  auto same = write_precache_manifests(dir.path(), tenants(true), pages, statics, disk);
  CHECK(same.written.empty());
  CHECK(file_signature(dir.path() / "acme/precache-manifest.json") == before);

  auto off = write_precache_manifests(dir.path(), tenants(false), pages, statics, disk);
  CHECK(off.removed == std::vector<std::string>{"acme/precache-manifest.json"});
  CHECK_FALSE(std::filesystem::exists(dir.path() / "acme/precache-manifest.json"));

  statics["acme/precache-manifest.json"] = {"h6", ""};
  auto clash = write_precache_manifests(dir.path(), tenants(true), pages, statics, disk);
  REQUIRE(clash.errors.size() == 1);
  CHECK(clash.errors[0].file == "static/acme/precache-manifest.json");
  CHECK(clash.written.empty());
}

TEST_CASE("precache manifest: the manifest of a tenant the site no longer has goes with its pages") {
  testing::ScratchDir dir;
  RealDisk disk;
  REQUIRE(disk.prepare_output(dir.path()).ok());
  const std::vector<PageRecord> records = {page("acme", "index", "/", "h1")};
  std::vector<const PageRecord*> pages = {&records[0]};
  REQUIRE(write_precache_manifests(dir.path(), tenants(true), pages, {}, disk).written.size() == 1);

  SiteConfig without_acme = tenants(false);
  without_acme.tenants.erase("acme");
  auto gone = write_precache_manifests(dir.path(), without_acme, {}, {}, disk, {"acme"});
  CHECK(gone.removed == std::vector<std::string>{"acme/precache-manifest.json"});
  CHECK_FALSE(std::filesystem::exists(dir.path() / "acme"));
  CHECK(write_precache_manifests(dir.path(), without_acme, {}, {}, disk, {"acme"}).removed.empty());
}
