// `isrgen build` on a fixture site, checked on disk as a user would.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "fixture_site.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct FileIdentity {
  ino_t inode;
  int64_t mtime_ns;
  bool operator==(const FileIdentity&) const = default;
};

FileIdentity identity(const fs::path& path) {
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return {st.st_ino, st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
}

std::map<std::string, std::string> html_files(const fs::path& out) {
  std::map<std::string, std::string> files;
  for (auto& entry : fs::recursive_directory_iterator(out))
    if (entry.path().extension() == ".html") files[entry.path().lexically_relative(out).string()] = read_text(entry.path());
  return files;
}

}  // namespace

TEST_CASE("build writes every page where the contract says, with metadata") {
  FixtureSite site;
  auto build = site.build();
  INFO(build.result.err);
  REQUIRE(build.result.exit_code == 0);
  CHECK(build.report["command"] == "build");
  CHECK(build.report["stats"]["pages"] == 5);
  CHECK(build.report["stats"]["rendered"] == 5);
  CHECK(build.report["stats"]["written"] == 5);
  CHECK(build.report["stats"]["failed"] == 0);
  CHECK(build.report["failed"].empty());
  // high priority first
  CHECK(build.report["rendered"][0]["page"] == "acme/index");

  for (const char* output : {"acme/index.html", "acme/de/index.html", "acme/all/index.html",
                             "acme/jobs/berlin/index.html", "nova/index.html"})
    CHECK(fs::exists(site.out() / output));
  CHECK(site.read_out("acme/css/site.css") == "body { margin: 0 }\n");

  std::string home = site.read_out("acme/index.html");
  CHECK(contains(home, "<title>Home | Acme Talent</title>"));
  CHECK(contains(home, "<h1>Find your role</h1>"));
  CHECK(contains(home, "<li data-id=\"m-1\">Ada (fashion)</li>"));  // fashion, best rating, limit 1
  CHECK_FALSE(contains(home, "Cleo"));
  CHECK(contains(home, "<p>Welcome to <strong>Acme</strong>.</p>"));
  CHECK(contains(home, "<a hreflang=\"de\" href=\"/de/\">de</a>"));
  CHECK(contains(home, "<nav><a href=\"/\">More</a></nav>"));

  std::string german = site.read_out("acme/de/index.html");
  CHECK(contains(german, "<html lang=\"de\">"));
  CHECK(contains(german, "<title>Start | Acme Talent</title>"));
  CHECK(contains(german, "<h1>Finde deine Rolle</h1>"));
  CHECK(contains(german, "Ada (fashion)"));  // the component's data comes from the default page
  CHECK(contains(german, "Willkommen"));
  CHECK(contains(german, "<a hreflang=\"en\" href=\"/\">en</a>"));
  CHECK(contains(german, ">Mehr</a>"));

  CHECK(contains(site.read_out("nova/index.html"), "<table>"));

  json meta = json::parse(site.read_out("acme/index.metadata.json"));
  CHECK(meta["page"] == "acme/index");
  CHECK(meta["tenant"] == "acme");
  CHECK(meta["lang"] == "en");
  CHECK(meta["url"] == "/");
  CHECK(meta["permalink"] == "https://acme.example/");
  CHECK(meta["output"] == "acme/index.html");
  CHECK(meta["priority"] == "high");
  CHECK(meta["tags"] == json({"campaign:summer", "component:HERO", "component:MODELS", "lang:en", "layout:base",
                              "layout:page", "models:category=fashion", "models:m-1", "page:acme/index",
                              "partial:header", "partial:nav", "tenant:acme"}));
  std::vector<std::string> input_paths;
  for (auto& input : meta["inputs"]) {
    input_paths.push_back(input["path"]);
    CHECK(input["hash"].get<std::string>().size() == 16);
  }
  CHECK(input_paths == std::vector<std::string>{"content/data/models.json", "content/pages/acme/index.md",
                                                "content/site.toml", "templates/components/HERO.mustache",
                                                "templates/components/MODELS.mustache",
                                                "templates/layouts/base.mustache", "templates/layouts/page.mustache",
                                                "templates/partials/header.mustache", "templates/partials/nav.mustache"});
  CHECK(meta["output_hash"].get<std::string>().size() == 16);
  CHECK(meta["generated_at"].get<std::string>().ends_with("Z"));

  json german_meta = json::parse(site.read_out("acme/de/index.metadata.json"));
  CHECK(german_meta["url"] == "/de/");
  CHECK(std::count(german_meta["tags"].begin(), german_meta["tags"].end(), "page:acme/index") == 1);
  CHECK(std::count(german_meta["tags"].begin(), german_meta["tags"].end(), "lang:de") == 1);

  json all_meta = json::parse(site.read_out("acme/all/index.metadata.json"));
  CHECK(std::count(all_meta["tags"].begin(), all_meta["tags"].end(), "source:models") == 1);
  for (const char* id : {"models:m-1", "models:m-2", "models:m-3", "models:m-4"})
    CHECK(std::count(all_meta["tags"].begin(), all_meta["tags"].end(), id) == 1);
}

TEST_CASE("a second build of an unchanged site rewrites nothing") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  FileIdentity html = identity(site.out() / "acme/index.html");
  FileIdentity meta = identity(site.out() / "acme/index.metadata.json");
  FileIdentity css = identity(site.out() / "acme/css/site.css");
  auto again = site.build();
  REQUIRE(again.result.exit_code == 0);
  CHECK(again.report["stats"]["written"] == 0);
  CHECK(identity(site.out() / "acme/index.html") == html);
  CHECK(identity(site.out() / "acme/index.metadata.json") == meta);
  CHECK(identity(site.out() / "acme/css/site.css") == css);
}

TEST_CASE("output is deterministic across folders and job counts") {
  FixtureSite first, second;
  REQUIRE(first.build({"--jobs", "1"}).result.exit_code == 0);
  REQUIRE(second.build({"--jobs", "4"}).result.exit_code == 0);
  auto a = html_files(first.out()), b = html_files(second.out());
  CHECK(a.size() == 5);
  CHECK(a == b);
}

TEST_CASE("an output folder elsewhere, with the state index in .isrgen") {
  FixtureSite site;
  ScratchDir elsewhere;
  auto build = site.build({"--out", (elsewhere.path() / "public").string()});
  REQUIRE(build.result.exit_code == 0);
  CHECK(fs::exists(elsewhere.path() / "public/acme/index.html"));
  CHECK_FALSE(fs::exists(site.out()));
  CHECK(fs::exists(site.root() / ".isrgen/state.db"));
}

TEST_CASE("removed pages and static files disappear from the output") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  fs::remove(site / "content/pages/acme/jobs/berlin.md");
  fs::remove(site / "content/pages/acme/index.de.md");
  fs::remove(site / "static/acme/css/site.css");
  auto build = site.build();
  REQUIRE(build.result.exit_code == 0);
  CHECK_FALSE(fs::exists(site.out() / "acme/jobs"));  // empty folders go too
  CHECK_FALSE(fs::exists(site.out() / "acme/de"));
  CHECK_FALSE(fs::exists(site.out() / "acme/css/site.css"));
  json deleted = build.report["deleted"];
  CHECK(std::count(deleted.begin(), deleted.end(), "acme/jobs/berlin/index.html") == 1);
  CHECK(std::count(deleted.begin(), deleted.end(), "acme/de/index.html") == 1);
  // the English home no longer links a German version
  CHECK_FALSE(contains(site.read_out("acme/index.html"), "hreflang"));
}

TEST_CASE("raw HTML in Markdown is omitted unless the site allows it") {
  FixtureSite site;
  site.write("content/pages/acme/all.md", "---\ntitle: x\n---\nHi <b class=\"x\">there</b>\n");
  REQUIRE(site.build().result.exit_code == 0);
  CHECK_FALSE(contains(site.read_out("acme/all/index.html"), "<b class"));
  std::string config = read_text(site / "content/site.toml");
  site.write("content/site.toml", "[site]\nunsafe_html = true\n" + config.substr(config.find('\n') + 1));
  REQUIRE(site.build().result.exit_code == 0);
  CHECK(contains(site.read_out("acme/all/index.html"), "<b class=\"x\">there</b>"));
}

TEST_CASE("an unsafe URL from data renders as # and a warning on stderr names page and template and field") {
  FixtureSite site;
  site.write("content/data/models.json", R"json([
  {"id": "m-1", "name": "Ada", "category": "fashion", "rating": 4.5, "image": "javascript:alert(9)"},
  {"id": "m-2", "name": "Ben", "category": "fitness", "rating": 4.9, "image": "https://cdn.example.com/ben.png"},
  {"id": "m-3", "name": "Cleo", "category": "fashion", "rating": 3.1, "image": "/relative.png"}
]
)json");
  site.replace("templates/components/MODELS.mustache", "<li data-id=\"{{id}}\">",
               "<li data-id=\"{{id}}\"><img src=\"{{image}}\" alt=\"\">");
  // The same component on a second page: its shared rendering warns there too.
  site.write("content/pages/acme/again.md", read_text(site / "content/pages/acme/all.md"));

  auto build = site.build();
  INFO(build.result.err);
  REQUIRE(build.result.exit_code == 0);
  CHECK(build.report["failed"].empty());
  std::string all = site.read_out("acme/all/index.html");
  CHECK(contains(all, "<li data-id=\"m-1\"><img src=\"#\" alt=\"\">Ada"));
  CHECK(contains(all, "<img src=\"https://cdn.example.com/ben.png\""));
  CHECK(contains(all, "<img src=\"/relative.png\""));
  CHECK_FALSE(contains(all, "javascript:"));
  CHECK(contains(site.read_out("acme/again/index.html"), "<img src=\"#\""));

  const std::string expected =
      "warning: templates/components/MODELS.mustache:1:46: page acme/all (en): unsafe URL in field 'image' "
      "rendered as \"#\": \"javascript:alert(9)\" (allowed: relative URLs and http, https, mailto, tel)\n";
  CHECK(contains(build.result.err, expected));
  CHECK(contains(build.result.err, "page acme/again (en): unsafe URL in field 'image'"));
  CHECK(contains(build.result.err, "page acme/index (en): unsafe URL in field 'image'"));  // Ada is its one model
  std::set<std::string> warned;
  for (const json& entry : build.report["warnings"]) warned.insert(entry["page"].get<std::string>());
  CHECK(warned.contains("acme/all"));
  CHECK(warned.contains("acme/again"));
  CHECK_FALSE(warned.contains("nova/index"));
}

TEST_CASE("the human output is a summary line, errors go to stderr") {
  FixtureSite site;
  auto result = run_isrgen({"build", "--site", site.root().string()});
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(contains(result.err, "build: 5 pages, 5 rendered, 5 written"));
  auto quiet = run_isrgen({"build", "--site", site.root().string(), "--quiet"});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
}

TEST_CASE("usage and configuration errors exit with status 2") {
  FixtureSite site;
  CHECK(run_isrgen({"build", "--jobs", "many"}).exit_code == 2);
  CHECK(run_isrgen({"frobnicate"}).exit_code == 2);
  site.write("content/site.toml", "[site]\nlanguages = [\"en\"\n");
  auto broken = site.build();
  CHECK(broken.result.exit_code == 2);
  CHECK(contains(broken.result.err, "content/site.toml:"));
}

TEST_CASE("exit status 3 tells an environment failure from a usage error", "[cli]") {
  FixtureSite site;
  fs::create_directories(site / ".isrgen/state.db");  // a folder where the database should be
  auto unusable = site.build();
  CHECK(unusable.result.exit_code == 3);
  CHECK_THAT(unusable.result.err, Catch::Contains(".isrgen/state.db") && Catch::Contains("state database"));

  CHECK(run_isrgen({"inspect", "tag", "page:acme/index", "--site", site.root().string()}).exit_code == 3);

  fs::remove(site / ".isrgen/state.db");
  REQUIRE(site.build().result.exit_code == 0);
  ScratchDir target;
  fs::create_directories(site / ".isrgen/deploy.db");
  auto sync = run_isrgen({"sync", "--site", site.root().string(), "--target", target.path().string()});
  CHECK(sync.exit_code == 3);
  CHECK_THAT(sync.err, Catch::Contains("deploy.db"));

  site.write("content/site.toml", "[site]\ndefault_language = 7\n");
  CHECK(site.build().result.exit_code == 2);
}
