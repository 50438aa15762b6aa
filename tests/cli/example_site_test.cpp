// The bundled example site (content/, templates/, static/) builds cleanly and
// uses every component type, every page in both languages where translated.
#include <map>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "site/page_urls.h"

#include "test_support.h"

using namespace isrgen::testing;
using nlohmann::json;

TEST_CASE("the example site builds without failures and uses every component type") {
  ScratchDir site;
  for (const char* folder : {"content", "templates", "static"})
    fs::copy(source_dir() / folder, site / folder, fs::copy_options::recursive);
  auto result = run_isrgen({"build", "--site", site.path().string(), "--json"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  json report = json::parse(result.out);
  CHECK(report["failed"].empty());

  std::map<std::string, int> pages_per_tenant, translated_per_tenant;
  std::set<std::string> tags;
  for (const json& entry : report["rendered"]) {
    std::string page = entry["page"];
    std::string tenant = page.substr(0, page.find('/'));
    if (entry["lang"] == "en") ++pages_per_tenant[tenant];
    if (entry["lang"] == "de") ++translated_per_tenant[tenant];
    json meta = json::parse(read_text(site / "out" / isrgen::metadata_path_for(entry["output"])));
    for (const json& tag : meta["tags"]) tags.insert(tag.get<std::string>());
  }
  CHECK(pages_per_tenant.size() == 2);
  for (const auto& [tenant, count] : pages_per_tenant) {
    CHECK(count >= 8);
    CHECK(translated_per_tenant[tenant] >= 3);
  }
  for (const char* type : {"HERO_BANNER", "MODEL_SHOWCASE", "JOB_LISTINGS", "BLOG_PREVIEW", "STATS_COUNTER",
                           "TESTIMONIAL_CAROUSEL", "CONTACT_FORM"})
    CHECK(tags.contains(std::string("component:") + type));
  for (const char* partial : {"partial:header", "partial:nav", "partial:footer", "layout:base"})
    CHECK(tags.contains(partial));
  CHECK(fs::exists(site / "out/acme/css/site.css"));
  CHECK(fs::exists(site / "out/nova/css/site.css"));
}
