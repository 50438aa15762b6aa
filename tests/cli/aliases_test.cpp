// Front matter `aliases`: the refresh pages a build writes, what sync stores
// on S3 (s3rver, read back with the aws CLI), and the 301s of serve and dev.
#include <csignal>
#include <regex>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fixture_site.h"
#include "http_client.h"
#include "isrgen_process.h"
#include "s3rver.h"
#include "util/fs.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

// acme/all.md with aliases: the first lines of its front matter replaced.
void alias_all(const FixtureSite& site, const std::string& aliases) {
  std::string page = read_text(site / "content/pages/acme/all.md");
  REQUIRE(page.starts_with("---\n"));
  site.write("content/pages/acme/all.md", "---\naliases: " + aliases + "\n" + page.substr(4));
}

FixtureSite::Build built(const FixtureSite& site) {
  auto build = site.build();
  INFO(build.result.err);
  return build;
}

// A server (serve or dev) on a port the system picks, stopped by SIGTERM.
struct Running {
  IsrgenProcess process;
  std::string base;
  Running(const std::vector<std::string>& args, const std::string& ready)
      : process(args, {"ISRGEN_WEBHOOK_SECRET=aliases-test-secret"}) {
    auto line = process.wait_for_output(ready);
    INFO(process.err());
    REQUIRE(line.has_value());
    std::smatch match;
    REQUIRE(std::regex_search(*line, match, std::regex("(?:localhost|127\\.0\\.0\\.1):([0-9]+)")));
    base = "http://127.0.0.1:" + match[1].str();
  }
  ~Running() {
    process.signal(SIGTERM);
    process.wait_exit();
  }
};

}  // namespace

TEST_CASE("aliases: a refresh page at each old URL, owned by the page, gone with the alias") {
  FixtureSite site;
  alias_all(site, "[/everyone/, /de/alle/]");
  auto first = built(site);
  REQUIRE(first.result.exit_code == 0);
  const std::string everyone = site.read_out("acme/everyone/index.html");
  CHECK(everyone.find("<meta http-equiv=\"refresh\" content=\"0; url=https://acme.example/all/\">") != std::string::npos);
  CHECK(everyone.find("<link rel=\"canonical\" href=\"https://acme.example/all/\">") != std::string::npos);
  CHECK(everyone.find("<a href=\"https://acme.example/all/\">") != std::string::npos);
  // acme/all has no German: /de/alle/ leads to the page in the default language.
  CHECK(site.read_out("acme/de/alle/index.html").find("url=https://acme.example/all/") != std::string::npos);
  json record = json::parse(site.read_out("acme/.isrgen-redirects.json"));
  CHECK(record["/everyone/"]["location"] == "https://acme.example/all/");
  // Not a page: the sitemap does not list it.
  CHECK(site.read_out("acme/sitemap.xml").find("everyone") == std::string::npos);

  // A build that changes nothing rewrites none of it.
  const std::string signature = isrgen::file_signature(site.out() / "acme/everyone/index.html");
  const std::string record_signature = isrgen::file_signature(site.out() / "acme/.isrgen-redirects.json");
  auto again = built(site);
  REQUIRE(again.result.exit_code == 0);
  CHECK(again.report["stats"]["rendered"] == 0);
  CHECK(isrgen::file_signature(site.out() / "acme/everyone/index.html") == signature);
  CHECK(isrgen::file_signature(site.out() / "acme/.isrgen-redirects.json") == record_signature);

  // An edit of another page keeps the aliases.
  site.replace("content/pages/acme/jobs/berlin.md", "Jobs in Berlin.", "Jobs in Berlin, now hiring.");
  REQUIRE(built(site).result.exit_code == 0);
  CHECK(std::filesystem::exists(site.out() / "acme/everyone/index.html"));

  // One alias dropped: its page goes.
  site.replace("content/pages/acme/all.md", "[/everyone/, /de/alle/]", "[/everyone/]");
  REQUIRE(built(site).result.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(site.out() / "acme/de/alle/index.html"));
  CHECK(std::filesystem::exists(site.out() / "acme/everyone/index.html"));

  // The page removed: its aliases and the record go.
  std::filesystem::remove(site / "content/pages/acme/all.md");
  auto removed = built(site);
  REQUIRE(removed.result.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(site.out() / "acme/everyone"));
  CHECK_FALSE(std::filesystem::exists(site.out() / "acme/.isrgen-redirects.json"));
}

TEST_CASE("aliases: a bad alias or one clashing with a page is an error at its line; the page still builds") {
  FixtureSite site;
  alias_all(site, "[/jobs/berlin/]");
  auto clash = built(site);
  CHECK(clash.result.exit_code == 1);
  CHECK(clash.result.err.find("content/pages/acme/all.md:2: alias '/jobs/berlin/' is the URL of a page: remove it "
                              "from aliases") != std::string::npos);
  CHECK(site.read_out("acme/jobs/berlin/index.html").find("Berlin") != std::string::npos);
  CHECK(std::filesystem::exists(site.out() / "acme/all/index.html"));

  site.replace("content/pages/acme/all.md", "[/jobs/berlin/]", "[../../etc/]");
  auto bad = built(site);
  CHECK(bad.result.exit_code == 1);
  CHECK(bad.result.err.find("content/pages/acme/all.md:2: alias '../../etc/' must start with '/'") != std::string::npos);

  site.write("content/pages/acme/all.md", "---\naliases: [/x/, https://evil.example/]\n---\nAll.\n");
  auto scheme = built(site);
  CHECK(scheme.result.exit_code == 1);
  CHECK(scheme.result.err.find("alias 'https://evil.example/' must start with '/'") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(site.out() / "acme/x"));

  // `aliases` is a key isrgen reads: a typo of it is warned about.
  site.write("content/pages/acme/all.md", "---\nalaises: [/x/]\n---\nAll.\n");
  auto typo = built(site);
  CHECK(typo.result.err.find("unknown key 'alaises' in the front matter (did you mean 'aliases'?)") !=
        std::string::npos);
}

TEST_CASE("aliases and 404 pages: serve and dev answer an alias with 301 and an unknown path with the 404 page") {
  FixtureSite site;
  alias_all(site, "[/everyone/]");
  site.write("templates/layouts/404.mustache", "<!doctype html><html lang=\"{{lang}}\"><h1>{{page.title}}</h1></html>\n");
  REQUIRE(built(site).result.exit_code == 0);

  SECTION("serve") {
    Running serve({"serve", "--site", site.root().string(), "--listen", "127.0.0.1:0"}, "listening on http://");
    ClientResponse moved = http_get(serve.base + "/acme/everyone/");
    CHECK(moved.status == 301);
    CHECK(moved.header("Location") == "/acme/all/");
    ClientResponse by_host = http_get(serve.base + "/everyone/", {{"Host", "acme.example"}});
    CHECK(by_host.status == 301);
    CHECK(by_host.header("Location") == "/all/");
    ClientResponse missing = http_get(serve.base + "/acme/no-such-page/");
    CHECK(missing.status == 404);
    CHECK(missing.body == "<!doctype html><html lang=\"en\"><h1>Page not found</h1></html>\n");
    ClientResponse german = http_get(serve.base + "/acme/de/nichts/");
    CHECK(german.status == 404);
    CHECK(german.body.find("lang=\"de\"") != std::string::npos);
    CHECK(http_get(serve.base + "/acme/all/").status == 200);
  }
  SECTION("dev") {
    Running dev({"dev", "--site", site.root().string(), "--listen", "127.0.0.1:0"}, "preview on http://localhost:");
    const std::string host = "acme.localhost:" + dev.base.substr(dev.base.rfind(':') + 1);
    ClientResponse moved = http_get(dev.base + "/everyone/", {{"Host", host}});
    CHECK(moved.status == 301);
    CHECK(moved.header("Location") == "/all/");
    ClientResponse missing = http_get(dev.base + "/no-such-page/", {{"Host", host}});
    CHECK(missing.status == 404);
    CHECK(missing.body.find("<h1>Page not found</h1>") != std::string::npos);
  }
}

TEST_CASE("aliases: sync stores each alias with x-amz-website-redirect-location, and not the record") {
  FixtureSite site;
  alias_all(site, "[/everyone/]");
  REQUIRE(built(site).result.exit_code == 0);
  S3rver s3;
  CommandResult sync = run_isrgen({"sync", "--site", site.root().string(), "--target", "s3://site/www", "--json"},
                                  s3.environment());
  INFO(sync.err);
  REQUIRE(sync.exit_code == 0);
  json head = json::parse(s3.aws("s3api head-object --bucket site --key www/acme/everyone/index.html"));
  CHECK(head["WebsiteRedirectLocation"] == "https://acme.example/all/");
  CHECK(json::parse(s3.aws("s3api head-object --bucket site --key www/acme/all/index.html"))
            .value("WebsiteRedirectLocation", "") == "");
  std::string listed = s3.aws("s3api list-objects-v2 --bucket site --prefix www/acme/");
  CHECK(listed.find(".isrgen-redirects.json") == std::string::npos);
}
