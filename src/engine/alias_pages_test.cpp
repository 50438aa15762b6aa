#include "engine/alias_pages.h"

#include <catch2/catch.hpp>

#include "site/test_site_config.h"
#include "test_support.h"

using namespace isrgen;

namespace {

PageFile with_aliases(nlohmann::json aliases) {
  PageFile file;
  file.display_path = "content/pages/acme/new.md";
  file.front_matter["aliases"] = std::move(aliases);
  file.field_locations["aliases"] = {"content/pages/acme/new.md", 2};
  return file;
}

AliasClaim claim(const std::string& slug, const std::string& lang, const PageFile& file,
                 std::vector<std::string> languages = {"en"}) {
  return {{"acme/" + slug, lang}, "acme", (lang == "en" ? "/" : "/" + lang + "/") + slug + "/", std::move(languages),
          &file};
}

}  // namespace

TEST_CASE("alias pages: a refresh page per alias, the record beside, removed with the alias") {
  testing::ScratchDir dir;
  RealDisk disk;
  REQUIRE(disk.prepare_output(dir.path()).ok());
  const PageFile two = with_aliases({"/old/", "/de/alt/"});
  AliasInputs inputs;
  inputs.rendered = {claim("new", "en", two, {"en", "de"}), claim("new", "de", two, {"en", "de"})};
  inputs.page_outputs = {"acme/new/index.html", "acme/de/new/index.html"};

  auto first = write_alias_pages(dir.path(), isrgen::testing::acme_in_two_languages(), inputs, disk);
  CHECK(first.errors.empty());
  CHECK(first.written == std::vector<std::string>{"acme/de/alt/index.html", "acme/old/index.html"});
  CHECK(testing::read_text(dir.path() / "acme/old/index.html") == alias_page_html("https://acme.example/new/", "en"));
  CHECK(testing::read_text(dir.path() / "acme/de/alt/index.html") ==
        alias_page_html("https://acme.example/de/new/", "de"));
  auto record = nlohmann::json::parse(testing::read_text(dir.path() / "acme/.isrgen-redirects.json"));
  CHECK(record["/old/"]["location"] == "https://acme.example/new/");
  CHECK(record["/de/alt/"]["target"] == "/de/new/");

  // Nothing rendered: everything stays, nothing is written.
  AliasInputs quiet;
  quiet.page_outputs = inputs.page_outputs;
  auto again = write_alias_pages(dir.path(), isrgen::testing::acme_in_two_languages(), quiet, disk);
  CHECK(again.written.empty());
  CHECK(again.removed.empty());
  CHECK(std::filesystem::exists(dir.path() / "acme/old/index.html"));

  SECTION("the page renders without one: it goes") {
    const PageFile one = with_aliases({"/old/"});
    inputs.rendered = {claim("new", "en", one, {"en", "de"}), claim("new", "de", one, {"en", "de"})};
    auto fewer = write_alias_pages(dir.path(), isrgen::testing::acme_in_two_languages(), inputs, disk);
    CHECK(fewer.removed == std::vector<std::string>{"acme/de/alt/index.html"});
    CHECK_FALSE(std::filesystem::exists(dir.path() / "acme/de"));
  }
  SECTION("the page is removed: all go, the record too") {
    AliasInputs gone;
    gone.removed = {{"acme/new", "en"}, {"acme/new", "de"}};
    auto removed = write_alias_pages(dir.path(), isrgen::testing::acme_in_two_languages(), gone, disk);
    CHECK(removed.removed.size() == 2);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "acme/.isrgen-redirects.json"));
  }
  SECTION("a page at an alias's URL takes its place") {
    quiet.page_outputs.insert("acme/old/index.html");
    testing::write_text(dir.path() / "acme/old/index.html", "the page");
    auto taken = write_alias_pages(dir.path(), isrgen::testing::acme_in_two_languages(), quiet, disk);
    CHECK(taken.removed.empty());
    CHECK(testing::read_text(dir.path() / "acme/old/index.html") == "the page");
    CHECK_FALSE(nlohmann::json::parse(testing::read_text(dir.path() / "acme/.isrgen-redirects.json")).contains("/old/"));
  }
}

TEST_CASE("alias pages: an alias of another page, of a page's URL or of a static file is an error at its line") {
  testing::ScratchDir dir;
  RealDisk disk;
  REQUIRE(disk.prepare_output(dir.path()).ok());
  const PageFile first = with_aliases({"/old/"});
  const PageFile second = with_aliases({"/old/", "/new/", "/logo.png"});
  std::map<std::string, StoredStaticFile> statics = {{"acme/logo.png", {}}};
  AliasInputs inputs;
  inputs.rendered = {claim("a", "en", first), claim("b", "en", second)};
  inputs.page_outputs = {"acme/a/index.html", "acme/b/index.html", "acme/new/index.html"};
  inputs.static_files = &statics;
  auto outcome = write_alias_pages(dir.path(), isrgen::testing::acme_in_two_languages(), inputs, disk);
  REQUIRE(outcome.errors.size() == 3);
  CHECK(outcome.errors[0].to_string() ==
        "content/pages/acme/new.md:2: alias '/old/' is already an alias of acme/a (en): an old URL can lead to one page only");
  CHECK(outcome.errors[1].to_string() == "content/pages/acme/new.md:2: alias '/new/' is the URL of a page: remove it from aliases");
  CHECK(outcome.errors[2].to_string() ==
        "content/pages/acme/new.md:2: alias '/logo.png' is the URL of a static file (static/acme/logo.png): remove one of them");
  CHECK(outcome.written == std::vector<std::string>{"acme/old/index.html"});

  const PageFile reserved = with_aliases({"/robots.txt", "/de/404.html", "/sitemap-2.xml", "/a/index.metadata.json"});
  inputs.rendered = {claim("c", "en", reserved)};
  auto refused_places = write_alias_pages(dir.path(), isrgen::testing::acme_in_two_languages(), inputs, disk);
  REQUIRE(refused_places.errors.size() == 4);
  CHECK(refused_places.errors[0].to_string() ==
        "content/pages/acme/new.md:2: alias '/robots.txt' is the place of a file isrgen writes (a page's metadata, the "
        "sitemap, robots.txt, a 404 page or the precache manifest): remove it from aliases");
  CHECK(refused_places.written.empty());

  const PageFile bad = with_aliases({"../etc/"});
  inputs.rendered = {claim("a", "en", bad)};
  auto refused = write_alias_pages(dir.path(), isrgen::testing::acme_in_two_languages(), inputs, disk);
  REQUIRE(refused.errors.size() == 1);
  CHECK(refused.errors[0].to_string().starts_with("content/pages/acme/new.md:2: alias '../etc/' must start with '/'"));
  CHECK(std::filesystem::exists(dir.path() / "acme/old/index.html"));  // a failed claim keeps the aliases it had
}
