#include "site/page_scan.h"

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {

SiteConfig two_tenants() {
  SiteConfig config;
  config.tenants["acme"].id = "acme";
  config.tenants["nova"].id = "nova";
  return config;
}

}  // namespace

TEST_CASE("place_pages refuses slugs that would publish over other pages", "[site][security]") {
  SiteConfig config = two_tenants();
  PageScan scan = place_pages({"content/pages/acme/...md", "content/pages/acme/index.md", "content/pages/acme/jobs/...md",
                               "content/pages/acme/jobs/..md", "content/pages/acme/back\\slash.md",
                               std::string("content/pages/acme/tab\tname.md")},
                              config);
  REQUIRE(scan.pages.size() == 1);
  CHECK(scan.pages[0].id() == "acme/index");
  REQUIRE(scan.problems.size() == 5);
  CHECK(scan.problems[0].error.to_string() ==
        "content/pages/acme/...md: the page's slug '..' has an empty, '.' or '..' folder or name, which would publish "
        "over another page or outside its tenant: rename the file");
  CHECK(scan.problems[1].page == "acme/jobs/..");
  CHECK(scan.problems[2].page == "acme/jobs/.");
  CHECK_THAT(scan.problems[3].error.message, Catch::Contains("control character or a backslash"));
  CHECK_THAT(scan.problems[4].error.message, Catch::Contains("control character or a backslash"));
  CHECK_FALSE(page_of_file("content/pages/acme/jobs/...md", config));
  CHECK(page_of_file("content/pages/acme/jobs/.hidden.md", config));
}
