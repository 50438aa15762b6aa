// The files a build writes for each tenant beside its pages: sitemap.xml
// (read back with python3's xml.etree, as a crawler would parse it),
// robots.txt and the 404 pages of templates/layouts/404.mustache.
#include <catch2/catch.hpp>

#include "fixture_site.h"
#include "util/fs.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

constexpr int64_t kNow = 1'796'644'800;  // 2026-12-07T12:00:00Z

// Every <url> of a sitemap as {loc: {"lastmod": ..., "alternates": {hreflang: href}}}, parsed by xml.etree.
json parse_sitemap(const fs::path& file) {
  const char* script = R"(
import json, sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
root = ET.parse(sys.argv[1]).getroot()
urls = {}
for url in root.findall("s:url", ns):
    lastmod = url.find("s:lastmod", ns)
    urls[url.find("s:loc", ns).text] = {
        "lastmod": lastmod.text if lastmod is not None else None,
        "alternates": {l.get("hreflang"): l.get("href") for l in url.findall("x:link", ns) if l.get("rel") == "alternate"}}
print(json.dumps(urls))
)";
  CommandResult parsed = run_program({"/usr/bin/python3", "-c", script, file.string()});
  INFO(parsed.err);
  REQUIRE(parsed.exit_code == 0);
  return json::parse(parsed.out);
}

std::string at(int64_t seconds) { return "ISRGEN_NOW=" + std::to_string(seconds); }

}  // namespace

TEST_CASE("sitemap: every page and language at its permalink, hreflang both ways, lastmod from the output's last change") {
  FixtureSite site;
  REQUIRE(site.build({}, {at(kNow)}).result.exit_code == 0);
  json urls = parse_sitemap(site.out() / "acme/sitemap.xml");
  CHECK(urls.size() == 4);
  for (const char* loc : {"https://acme.example/", "https://acme.example/de/", "https://acme.example/all/",
                          "https://acme.example/jobs/berlin/"}) {
    INFO(loc);
    REQUIRE(urls.contains(loc));
    CHECK(urls[loc]["lastmod"] == "2026-12-07T12:00:00Z");
  }
  const json pair = {{"en", "https://acme.example/"}, {"de", "https://acme.example/de/"},
                     {"x-default", "https://acme.example/"}};
  CHECK(urls["https://acme.example/"]["alternates"] == pair);
  CHECK(urls["https://acme.example/de/"]["alternates"] == pair);
  CHECK(urls["https://acme.example/all/"]["alternates"].empty());  // one language: no alternates
  CHECK(parse_sitemap(site.out() / "nova/sitemap.xml").contains("https://nova.example/"));

  // Nothing changed: not even rewritten.
  const std::string signature = isrgen::file_signature(site.out() / "acme/sitemap.xml");
  auto unchanged = site.build({}, {at(kNow + 3600)});
  REQUIRE(unchanged.result.exit_code == 0);
  CHECK(isrgen::file_signature(site.out() / "acme/sitemap.xml") == signature);
  CHECK(isrgen::file_signature(site.out() / "acme/robots.txt") != "");

  // A page rendered into the same bytes keeps its date; one whose output changed moves.
  site.replace("content/pages/acme/jobs/berlin.md", "Jobs in Berlin.", "Jobs in Berlin, now hiring.");
  REQUIRE(site.build({"--force"}, {at(kNow + 7200)}).result.exit_code == 0);
  urls = parse_sitemap(site.out() / "acme/sitemap.xml");
  CHECK(urls["https://acme.example/jobs/berlin/"]["lastmod"] == "2026-12-07T14:00:00Z");
  CHECK(urls["https://acme.example/all/"]["lastmod"] == "2026-12-07T12:00:00Z");

  // A page removed leaves the sitemap; turned off, the sitemap goes and robots.txt no longer names it.
  std::filesystem::remove(site / "content/pages/acme/all.md");
  REQUIRE(site.build({}, {at(kNow + 9000)}).result.exit_code == 0);
  CHECK_FALSE(parse_sitemap(site.out() / "acme/sitemap.xml").contains("https://acme.example/all/"));
  site.replace("content/site.toml", "base_url = \"https://acme.example\"\n",
               "base_url = \"https://acme.example\"\nsitemap = false\n");
  auto off = site.build({}, {at(kNow + 9100)});
  REQUIRE(off.result.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(site.out() / "acme/sitemap.xml"));
  CHECK(site.read_out("acme/robots.txt") == "User-agent: *\nAllow: /\n");
  CHECK(off.report["deleted"] == json({"acme/sitemap.xml"}));
}

TEST_CASE("sitemap: pages deferred by prerender = \"high\" are listed, without a lastmod") {
  FixtureSite site;
  site.write("content/site.toml", read_text(site / "content/site.toml") + "[build]\nprerender = \"high\"\n");
  auto built = site.build({}, {at(kNow)});
  REQUIRE(built.result.exit_code == 0);
  REQUIRE(built.report["stats"]["deferred"].get<int>() > 0);
  json urls = parse_sitemap(site.out() / "acme/sitemap.xml");
  CHECK(urls.size() == 4);
  REQUIRE(urls.contains("https://acme.example/jobs/berlin/"));
  CHECK(urls["https://acme.example/jobs/berlin/"]["lastmod"].is_null());
}

TEST_CASE("robots.txt: allow all and the sitemap by default, the tenant's rules, a static robots.txt winning") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  CHECK(site.read_out("acme/robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: https://acme.example/sitemap.xml\n");
  CHECK(site.read_out("nova/robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: https://nova.example/sitemap.xml\n");

  site.replace("content/site.toml", "base_url = \"https://acme.example\"\n",
               "base_url = \"https://acme.example\"\nrobots = \"\"\"\nUser-agent: *\nDisallow: /drafts/\n\"\"\"\n");
  REQUIRE(site.build().result.exit_code == 0);
  CHECK(site.read_out("acme/robots.txt") ==
        "User-agent: *\nDisallow: /drafts/\n\nSitemap: https://acme.example/sitemap.xml\n");

  site.write("static/nova/robots.txt", "User-agent: *\nDisallow: /\n");
  auto shipped = site.build();
  REQUIRE(shipped.result.exit_code == 0);
  CHECK(site.read_out("nova/robots.txt") == "User-agent: *\nDisallow: /\n");
  std::filesystem::remove(site / "static/nova/robots.txt");
  auto generated = site.build();
  REQUIRE(generated.result.exit_code == 0);
  CHECK(site.read_out("nova/robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: https://nova.example/sitemap.xml\n");
  CHECK(generated.report["deleted"].empty());
}

TEST_CASE("404 pages: one per tenant and language from the 404 layout, rendered again when a partial changes") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(site.out() / "acme/404.html"));  // no layout, no 404 page

  site.replace("content/site.toml", "more = \"More\"\n", "more = \"More\"\nnot_found = \"Nothing here\"\n");
  site.write("templates/layouts/404.mustache", "{{<base}}{{$main}}<h1>{{page.title}}</h1>{{/main}}{{/base}}");
  auto built = site.build();
  INFO(built.result.err);
  REQUIRE(built.result.exit_code == 0);
  for (const char* output : {"acme/404.html", "acme/de/404.html", "nova/404.html", "nova/de/404.html"})
    CHECK(site.read_out(output).find("<h1>Nothing here</h1>") != std::string::npos);
  CHECK(site.read_out("acme/de/404.html").find("<html lang=\"de\">") != std::string::npos);
  CHECK(site.read_out("acme/de/404.html").find("Mehr") != std::string::npos);

  const std::string signature = isrgen::file_signature(site.out() / "acme/404.html");
  REQUIRE(site.build().result.exit_code == 0);
  CHECK(isrgen::file_signature(site.out() / "acme/404.html") == signature);

  site.write("templates/partials/header.mustache", "<header>{{tenant.name}}!</header>\n");
  REQUIRE(site.build().result.exit_code == 0);
  CHECK(site.read_out("acme/404.html").find("Acme Talent!") != std::string::npos);

  std::filesystem::remove(site / "templates/layouts/404.mustache");
  auto removed = site.build();
  REQUIRE(removed.result.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(site.out() / "acme/de/404.html"));
  CHECK(removed.report["deleted"].size() == 4);
}
