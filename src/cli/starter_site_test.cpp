#include "cli/starter_site.h"

#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "site/site_config.h"

using namespace isrgen;

namespace {

std::string_view text_of(std::string_view path) {
  for (const StarterFile& file : starter_site_files())
    if (file.path == path) return file.text;
  FAIL("the starter site has no " << path);
  return {};
}

}  // namespace

TEST_CASE("starter site: one tenant in two languages, with a local and a commented remote source", "[starter_site]") {
  auto config = parse_site_config(text_of("content/site.toml"), "content/site.toml");
  REQUIRE(config.ok());
  CHECK(config.value().tenants.size() == 1);
  CHECK(config.value().tenants.contains(std::string(kStarterTenant)));
  CHECK(config.value().languages == std::vector<std::string>{"en", "de"});
  CHECK(config.value().sources.size() == 1);
  CHECK(config.value().sources.contains("products"));
  CHECK(text_of("content/site.toml").find("# [sources.news]\n# url = ") != std::string_view::npos);
}

TEST_CASE("starter site: every file lies beneath the site, each once", "[starter_site]") {
  std::set<std::string_view> paths;
  for (const StarterFile& file : starter_site_files()) {
    INFO(file.path);
    CHECK_FALSE(file.path.starts_with('/'));
    CHECK(file.path.find("..") == std::string_view::npos);
    CHECK_FALSE(file.text.empty());
    CHECK(paths.insert(file.path).second);
  }
  for (std::string_view part : {"templates/layouts/page.mustache", "templates/partials/header.mustache",
                                "templates/components/PRODUCT_LIST.mustache", "content/data/products.json",
                                "content/pages/mysite/index.md", "content/pages/mysite/index.de.md"})
    CHECK(paths.contains(part));
}
