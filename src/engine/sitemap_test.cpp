#include "engine/sitemap.h"

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {

TenantConfig acme() {
  TenantConfig tenant;
  tenant.id = "acme";
  tenant.base_url = "https://acme.example";
  return tenant;
}

size_t count(const std::string& text, const std::string& what) {
  size_t found = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++found;
  return found;
}

}  // namespace

TEST_CASE("sitemap: every URL at its permalink, lastmod when rendered, alternates both ways with x-default") {
  const int64_t dec7 = 1'796'644'800'000;  // 2026-12-07T12:00:00Z
  auto files = sitemap_files(acme(), "en",
                             {{"acme/summer", "de", "/de/summer/", dec7},
                              {"acme/summer", "en", "/summer/", dec7 + 1000},
                              {"acme/index", "en", "/", 0}});
  REQUIRE(files.size() == 1);
  CHECK(files[0].name == "sitemap.xml");
  CHECK(files[0].bytes ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
        "  <url>\n    <loc>https://acme.example/</loc>\n  </url>\n"
        "  <url>\n    <loc>https://acme.example/de/summer/</loc>\n    <lastmod>2026-12-07T12:00:00Z</lastmod>\n"
        "    <xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://acme.example/de/summer/\"/>\n"
        "    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://acme.example/summer/\"/>\n"
        "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://acme.example/summer/\"/>\n"
        "  </url>\n"
        "  <url>\n    <loc>https://acme.example/summer/</loc>\n    <lastmod>2026-12-07T12:00:01Z</lastmod>\n"
        "    <xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://acme.example/de/summer/\"/>\n"
        "    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://acme.example/summer/\"/>\n"
        "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://acme.example/summer/\"/>\n"
        "  </url>\n"
        "</urlset>\n");
}

TEST_CASE("sitemap: URLs are escaped for XML") {
  auto files = sitemap_files(acme(), "en", {{"acme/a&b", "en", "/a&b/", 0}});
  CHECK(files[0].bytes.find("<loc>https://acme.example/a&amp;b/</loc>") != std::string::npos);
}

TEST_CASE("sitemap: past the URL limit, parts and an index of them") {
  std::vector<SitemapEntry> entries;
  for (int i = 0; i < 5; ++i) entries.push_back({"acme/p" + std::to_string(i), "en", "/p" + std::to_string(i) + "/", 1000 * (i + 1)});
  auto files = sitemap_files(acme(), "en", entries, {.max_urls = 2});
  REQUIRE(files.size() == 4);
  CHECK(files[0].name == "sitemap.xml");
  CHECK(files[0].bytes.find("<sitemapindex") != std::string::npos);
  CHECK(count(files[0].bytes, "<sitemap>") == 3);
  CHECK(files[0].bytes.find("<loc>https://acme.example/sitemap-3.xml</loc>") != std::string::npos);
  CHECK(files[1].name == "sitemap-1.xml");
  CHECK(files[3].name == "sitemap-3.xml");
  CHECK(count(files[1].bytes, "<url>") == 2);
  CHECK(count(files[3].bytes, "<url>") == 1);
  CHECK(files[3].bytes.find("/p4/") != std::string::npos);
  // An index's lastmod is its part's latest.
  CHECK(files[0].bytes.find("<loc>https://acme.example/sitemap-1.xml</loc>\n    <lastmod>1970-01-01T00:00:02Z") !=
        std::string::npos);

  SECTION("the same within the limits is one file") {
    CHECK(sitemap_files(acme(), "en", entries, {.max_urls = 5}).size() == 1);
  }
  SECTION("the byte limit splits too") {
    size_t one_file = sitemap_files(acme(), "en", entries).front().bytes.size();
    CHECK(sitemap_files(acme(), "en", entries, {.max_bytes = one_file - 1}).size() == 3);
    for (const SitemapFile& file : sitemap_files(acme(), "en", entries, {.max_bytes = one_file - 1}))
      CHECK(file.bytes.size() <= one_file - 1);
  }
}

TEST_CASE("sitemap: outputs named and compared without lastmod") {
  CHECK(is_sitemap_output("acme/sitemap.xml"));
  CHECK(is_sitemap_output("acme/sitemap-12.xml"));
  CHECK_FALSE(is_sitemap_output("acme/sitemap-.xml"));
  CHECK_FALSE(is_sitemap_output("acme/docs/sitemap.xml"));
  CHECK_FALSE(is_sitemap_output("sitemap.xml"));
  CHECK(sitemap_without_lastmod("<url>\n    <lastmod>2026</lastmod>\n</url><lastmod>x</lastmod>") ==
        "<url>\n    \n</url>");
}
