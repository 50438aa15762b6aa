// The incremental engine as users see it: each kind of change re-renders
// exactly the pages that depend on it, outputs stay honest, and revalidate,
// inspect, why and --verify answer from the state index.
#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "fixture_site.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

std::vector<std::string> reasons_of(const json& report, const std::string& page, const std::string& lang) {
  for (const json& entry : report["rendered"])
    if (entry["page"] == page && entry["lang"] == lang) return entry["reasons"];
  return {};
}

// Rewriting a file through a temp file and a rename gives it a new inode.
ino_t file_inode(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_ino;
}

struct BuiltSite : FixtureSite {
  BuiltSite() { REQUIRE(build().result.exit_code == 0); }
};

}  // namespace

TEST_CASE("an unchanged site renders nothing, even when files are rewritten with the same bytes") {
  BuiltSite site;
  auto noop = site.build();
  CHECK(noop.report["stats"]["rendered"] == 0);
  CHECK(noop.report["stats"]["unchanged"] == 5);
  CHECK(noop.report["invalidated"].empty());
  site.write("content/pages/acme/all.md", read_text(site / "content/pages/acme/all.md"));
  site.write("templates/partials/nav.mustache", read_text(site / "templates/partials/nav.mustache"));
  site.write("content/data/models.json", read_text(site / "content/data/models.json"));
  CHECK(site.build().report["stats"]["rendered"] == 0);
}

TEST_CASE("an edit that keeps a file's size, inode and mtime is still seen") {
  // Editors can save twice within one file-system timestamp tick: stat alone
  // cannot tell, so files modified just before a build are hashed again.
  BuiltSite site;
  fs::path page = site / "content/pages/acme/all.md";
  auto modified = fs::last_write_time(page);
  std::string text = read_text(page);
  std::string edited = text;
  edited.replace(edited.find("Everyone."), 9, "Everybody");  // same length
  site.write("content/pages/acme/all.md", edited);
  fs::last_write_time(page, modified);
  auto build = site.build();
  CHECK(rendered_variants(build.report) == std::set<std::string>{"acme/all/en"});
  CHECK_THAT(site.read_out("acme/all/index.html"), Catch::Contains("Everybody"));
}

TEST_CASE("a page edit re-renders that page in every language, and nothing else") {
  BuiltSite site;
  site.write("content/pages/acme/index.md", read_text(site / "content/pages/acme/index.md") + "\nMore.\n");
  auto build = site.build();
  CHECK(rendered_variants(build.report) == std::set<std::string>{"acme/index/de", "acme/index/en"});
  CHECK(build.report["invalidated"] == json({"page:acme/index"}));
  CHECK(reasons_of(build.report, "acme/index", "en") == std::vector<std::string>{"tag:page:acme/index"});
  CHECK_THAT(site.read_out("acme/index.html"), Catch::Contains("<p>More.</p>"));
}

TEST_CASE("a record change re-renders the pages showing it or filtering on its values") {
  BuiltSite site;
  // m-4 (editorial) is shown only on acme/all (unfiltered); no fashion filter hits it.
  site.replace("content/data/models.json", "\"Dan\"", "\"Dana\"");
  auto build = site.build();
  CHECK(rendered_variants(build.report) == std::set<std::string>{"acme/all/en"});
  CHECK_THAT(site.read_out("acme/all/index.html"), Catch::Contains("Dana (editorial)"));
  // Moving m-4 into the fashion category reaches the filtered home page too.
  site.replace("content/data/models.json", "\"editorial\"", "\"fashion\"");
  build = site.build();
  CHECK(rendered_variants(build.report) == std::set<std::string>{"acme/all/en", "acme/index/de", "acme/index/en"});
  CHECK(std::count(build.report["invalidated"].begin(), build.report["invalidated"].end(), "models:category=fashion") == 1);
}

TEST_CASE("a page records for a data file the hash of the records it shows: other records leave its metadata alone") {
  BuiltSite site;
  auto models_hash = [&](const std::string& metadata_file) {
    const json metadata = json::parse(site.read_out(metadata_file));
    for (const json& input : metadata["inputs"])
      if (input["path"] == "content/data/models.json") return input["hash"].get<std::string>();
    FAIL("no content/data/models.json input in " << metadata_file);
    return std::string();
  };
  const std::string home_metadata = read_text(site.out() / "acme/index.metadata.json");
  const std::string all_hash = models_hash("acme/all/index.metadata.json");
  // m-4 is shown on acme/all only; a forced build renders acme/index anyway.
  site.replace("content/data/models.json", "\"Dan\"", "\"Dana\"");
  CHECK(site.build({"--force"}).result.exit_code == 0);
  CHECK(read_text(site.out() / "acme/index.metadata.json") == home_metadata);
  CHECK(models_hash("acme/all/index.metadata.json") != all_hash);
  // The same records again, the same hash.
  site.replace("content/data/models.json", "\"Dana\"", "\"Dan\"");
  CHECK(site.build().result.exit_code == 0);
  CHECK(models_hash("acme/all/index.metadata.json") == all_hash);
}

TEST_CASE("a template change re-renders the pages that used it") {
  BuiltSite site;
  site.write("templates/components/HERO.mustache", "<h1 class=\"hero\">{{config.headline}}</h1>\n");
  CHECK(rendered_variants(site.build().report) == std::set<std::string>{"acme/index/de", "acme/index/en"});
  site.write("templates/partials/nav.mustache", "<nav>{{site.strings.more}}</nav>");  // nested in header: all pages
  CHECK(site.build().report["stats"]["rendered"] == 5);
}

TEST_CASE("a tenant change in site.toml re-renders that tenant's pages only") {
  BuiltSite site;
  site.replace("content/site.toml", "Nova Casting", "Nova Studios");
  auto build = site.build();
  CHECK(rendered_variants(build.report) == std::set<std::string>{"nova/index/en"});
  CHECK_THAT(site.read_out("nova/index.html"), Catch::Contains("Nova Studios"));
}

TEST_CASE("deleted, edited and touched outputs are restored, renamed pages move") {
  BuiltSite site;
  std::string good = site.read_out("acme/all/index.html");
  fs::remove(site.out() / "acme/all/index.html");
  write_text(site.out() / "acme/jobs/berlin/index.html", "edited by hand");
  fs::remove(site.out() / "nova/index.metadata.json");
  auto build = site.build();
  CHECK(rendered_variants(build.report) == std::set<std::string>{"acme/all/en", "acme/jobs/berlin/en", "nova/index/en"});
  CHECK(reasons_of(build.report, "acme/all", "en") == std::vector<std::string>{"output missing"});
  CHECK(reasons_of(build.report, "acme/jobs/berlin", "en") == std::vector<std::string>{"output changed on disk"});
  CHECK(site.read_out("acme/all/index.html") == good);
  CHECK(fs::exists(site.out() / "nova/index.metadata.json"));
  CHECK(site.build().report["stats"]["rendered"] == 0);

  fs::rename(site / "content/pages/acme/all.md", site / "content/pages/acme/everyone.md");
  build = site.build();
  CHECK(rendered_variants(build.report) == std::set<std::string>{"acme/everyone/en"});
  CHECK(build.report["deleted"] == json({"acme/all/index.html"}));
  CHECK_FALSE(fs::exists(site.out() / "acme/all"));
}

TEST_CASE("a failed page is retried by every build until it builds") {
  BuiltSite site;
  site.write("content/pages/acme/all.md", "---\nlayout: nope\n---\n");
  CHECK(site.build().result.exit_code == 1);
  CHECK(site.build().result.exit_code == 1);  // nothing changed, still reported
  site.write("templates/layouts/nope.mustache", "<p>{{page.id}}</p>\n");
  auto fixed = site.build();
  CHECK(fixed.result.exit_code == 0);
  CHECK(site.read_out("acme/all/index.html") == "<p>acme/all</p>\n");
}

TEST_CASE("a forced build renders everything, and revalidate exactly the tagged or addressed pages") {
  BuiltSite site;
  const fs::path metadata = site.out() / "acme/all/index.metadata.json";
  const std::string metadata_before = read_text(metadata);
  const auto metadata_inode = file_inode(metadata);
  // An hour later by the clock: an unchanged page must still keep its generated_at.
  const auto hour_later = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count() + 3600;
  auto forced = site.build({"--force"}, {"ISRGEN_NOW=" + std::to_string(hour_later)});
  CHECK(forced.report["stats"]["rendered"] == 5);
  CHECK(forced.report["stats"]["written"] == 0);
  // Unchanged pages keep their files, generated_at included.
  CHECK(read_text(metadata) == metadata_before);
  CHECK(file_inode(metadata) == metadata_inode);
  CHECK(reasons_of(forced.report, "nova/index", "en") == std::vector<std::string>{"forced"});

  auto revalidate = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"revalidate", "--site", site.root().string(), "--json"});
    auto result = run_isrgen(args);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    return json::parse(result.out);
  };
  json by_tag = revalidate({"--tag", "models:m-1"});
  CHECK(by_tag["command"] == "revalidate");
  CHECK(rendered_variants(by_tag) == std::set<std::string>{"acme/all/en", "acme/index/de", "acme/index/en"});
  CHECK(reasons_of(by_tag, "acme/all", "en") == std::vector<std::string>{"tag:models:m-1"});
  CHECK(rendered_variants(revalidate({"--tag", "tenant:nova"})) == std::set<std::string>{"nova/index/en"});
  CHECK(rendered_variants(revalidate({"--tag", "partial:*"})).size() == 5);
  CHECK(rendered_variants(revalidate({"--tag", "no:such-tag"})).empty());
  json by_path = revalidate({"--path", "https://acme.example/de/", "--path", "/acme/jobs/berlin/"});
  CHECK(rendered_variants(by_path) == std::set<std::string>{"acme/index/de", "acme/jobs/berlin/en"});
  CHECK(reasons_of(by_path, "acme/index", "de") == std::vector<std::string>{"path:https://acme.example/de/"});
  CHECK(run_isrgen({"revalidate", "--site", site.root().string(), "--path", "https://elsewhere.example/"}).exit_code == 2);
  CHECK(run_isrgen({"revalidate", "--site", site.root().string()}).exit_code == 2);
}

TEST_CASE("inspect and why answer from the state index") {
  BuiltSite site;
  auto tag = run_isrgen({"inspect", "tag", "models:category=fashion", "--site", site.root().string(), "--json"});
  REQUIRE(tag.exit_code == 0);
  json pages = json::parse(tag.out)["pages"];
  REQUIRE(pages.size() == 2);
  CHECK(pages[0]["page"] == "acme/index");

  auto both = run_isrgen({"inspect", "page", "acme/index", "--site", site.root().string()});
  CHECK(both.exit_code == 0);
  CHECK_THAT(both.out, Catch::Contains("acme/index (de)") && Catch::Contains("acme/index (en)"));
  CHECK(run_isrgen({"inspect", "page", "acme/nothing", "--site", site.root().string()}).exit_code == 1);
  FixtureSite unbuilt;
  auto no_state = run_isrgen({"inspect", "page", "acme/index", "--site", unbuilt.root().string()});
  CHECK(no_state.exit_code == 2);
  CHECK_THAT(no_state.err, Catch::Contains("no state yet: run `isrgen build` first"));
  auto page = run_isrgen({"inspect", "page", "acme/index", "--lang", "de", "--site", site.root().string(), "--json"});
  REQUIRE(page.exit_code == 0);
  json record = json::parse(page.out);
  CHECK(record["output"] == "acme/de/index.html");
  CHECK(record["last_reasons"] == json({"new page"}));
  CHECK(std::count(record["tags"].begin(), record["tags"].end(), "lang:de") == 1);

  auto why = run_isrgen({"why", "acme/jobs/berlin/index.html", "--site", site.root().string()});
  CHECK(why.exit_code == 0);
  CHECK_THAT(why.out, Catch::Contains("acme/jobs/berlin (en)"));
  CHECK_THAT(why.out, Catch::Contains("new page"));
  for (const char* spelling : {"acme/jobs/berlin", "acme/jobs/berlin/", "acme/jobs/berlin/index.metadata.json"})
    CHECK_THAT(run_isrgen({"why", spelling, "--site", site.root().string()}).out,
               Catch::Contains("acme/jobs/berlin (en)"));
  CHECK(run_isrgen({"why", "acme/nothing/index.html", "--site", site.root().string()}).exit_code == 1);
}

TEST_CASE("a page replaced by a translation publishing to the same output keeps that output") {
  BuiltSite site;
  site.write("content/pages/acme/de/summer.md", "---\ntitle: Sommer\n---\nA page in English at /de/summer/.\n");
  site.write("content/pages/acme/summer.md", "---\ntitle: Summer\n---\nSummer.\n");
  REQUIRE(site.build().result.exit_code == 0);
  REQUIRE(site.read_out("acme/de/summer/index.html").find("A page in English") != std::string::npos);

  fs::remove(site / "content/pages/acme/de/summer.md");
  site.write("content/pages/acme/summer.de.md", "---\ntitle: Sommer\n---\nSommer auf Deutsch.\n");
  auto moved = site.build();
  REQUIRE(moved.result.exit_code == 0);
  CHECK(moved.report["deleted"].empty());
  CHECK(site.read_out("acme/de/summer/index.html").find("Sommer auf Deutsch") != std::string::npos);
  CHECK(json::parse(site.read_out("acme/de/summer/index.metadata.json"))["page"] == "acme/summer");
  CHECK(site.build().report["stats"]["rendered"] == 0);  // settled: nothing missing to restore
}

TEST_CASE("a static file where a page publishes is an error and leaves the page alone") {
  BuiltSite site;
  site.write("static/acme/all/index.html", "<p>static</p>\n");
  auto clash = site.build();
  CHECK(clash.result.exit_code == 1);
  REQUIRE(clash.report["failed"].size() == 1);
  CHECK(clash.report["failed"][0]["error"] ==
        "static/acme/all/index.html: would overwrite acme/all/index.html, which a page publishes; rename the static "
        "file or the page");
  CHECK(site.read_out("acme/all/index.html").find("<p>static</p>") == std::string::npos);
  auto again = site.build();
  CHECK(again.report["stats"]["rendered"] == 0);  // the page's output stays as recorded

  // A static file copied before a page took its place is not removed from under the page.
  BuiltSite earlier;
  earlier.write("static/acme/summer/index.html", "<p>static</p>\n");
  REQUIRE(earlier.build().result.exit_code == 0);
  earlier.write("content/pages/acme/summer.md", "---\ntitle: Summer\n---\nSummer.\n");
  auto taken = earlier.build();
  CHECK(taken.result.exit_code == 1);
  CHECK(earlier.read_out("acme/summer/index.html").find("Summer.") != std::string::npos);
  CHECK(std::find(taken.report["deleted"].begin(), taken.report["deleted"].end(), "acme/summer/index.html") ==
        taken.report["deleted"].end());
  CHECK(earlier.build().report["stats"]["rendered"] == 0);
}

TEST_CASE("build with verify compares with a fresh build and fails on differences") {
  BuiltSite site;
  auto ok = site.build({"--verify"});
  CHECK(ok.result.exit_code == 0);
  CHECK(ok.report["verify"]["differences"].empty());
  // A failing page keeps its last good output, which a fresh build cannot produce.
  site.write("content/pages/acme/all.md", "---\nlayout: nope\n---\n");
  auto differs = site.build({"--verify"});
  CHECK(differs.result.exit_code == 1);
  CHECK(differs.report["verify"]["differences"] ==
        json({"acme/all/index.html: not in a fresh build", "acme/all/index.metadata.json: not in a fresh build",
              "acme/sitemap.xml: differs from a fresh build"}));
  // A difference alone, with every page built, fails too.
  BuiltSite stray;
  stray.write("out/acme/stray.txt", "left by hand\n");
  auto stray_build = stray.build({"--verify"});
  CHECK(stray_build.report["failed"].empty());
  CHECK(stray_build.result.exit_code == 1);
  CHECK(stray_build.report["verify"]["differences"] == json({"acme/stray.txt: not in a fresh build"}));
}
