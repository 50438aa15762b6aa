// [tenants.<id>] precache = true: the manifest a build writes, kept right by
// incremental builds from the hashes the state index holds.
#include <catch2/catch.hpp>

#include "fixture_site.h"
#include "util/fs.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

// url -> revision
std::map<std::string, std::string> manifest_of(const FixtureSite& site) {
  std::map<std::string, std::string> entries;
  for (const json& entry : json::parse(site.read_out("acme/precache-manifest.json")))
    entries[entry["url"]] = entry["revision"];
  return entries;
}

}  // namespace

TEST_CASE("precache: a build lists the tenant's pages and assets, and an edit changes that page's revision alone") {
  FixtureSite site;
  site.replace("content/site.toml", "base_url = \"https://acme.example\"\n",
               "base_url = \"https://acme.example\"\nprecache = true\n");
  auto first = site.build();
  INFO(first.result.err);
  REQUIRE(first.result.exit_code == 0);
  auto before = manifest_of(site);
  CHECK(before.size() == 5);  // /, /all/, /de/, /jobs/berlin/ and /css/site.css
  for (const char* url : {"/", "/all/", "/de/", "/jobs/berlin/", "/css/site.css"}) CHECK(before.contains(url));
  CHECK_FALSE(std::filesystem::exists(site.out() / "nova/precache-manifest.json"));  // nova did not ask

  // A build that changes nothing leaves the manifest alone, file and all.
  std::string signature = isrgen::file_signature(site.out() / "acme/precache-manifest.json");
  REQUIRE(site.build().result.exit_code == 0);
  CHECK(isrgen::file_signature(site.out() / "acme/precache-manifest.json") == signature);

  site.replace("content/pages/acme/jobs/berlin.md", "Jobs in Berlin.", "Jobs in Berlin, now hiring.");
  auto edited = site.build();
  REQUIRE(edited.result.exit_code == 0);
  CHECK(rendered_variants(edited.report) == std::set<std::string>{"acme/jobs/berlin/en"});
  auto after = manifest_of(site);
  CHECK(after.size() == 5);
  CHECK(after["/jobs/berlin/"] != before["/jobs/berlin/"]);
  after.erase("/jobs/berlin/");
  before.erase("/jobs/berlin/");
  CHECK(after == before);

  site.write("static/acme/css/site.css", "body { margin: 1px }\n");
  REQUIRE(site.build().result.exit_code == 0);
  CHECK(manifest_of(site)["/css/site.css"] != before["/css/site.css"]);

  // Turned off, the manifest goes.
  site.replace("content/site.toml", "precache = true\n", "");
  REQUIRE(site.build().result.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(site.out() / "acme/precache-manifest.json"));
}
