// The command line as people use it: a mistyped command is named with the
// nearest one, one broken shared template is one error line, --verbose lists
// what was rendered, deleted or uploaded and why, and `why` takes the path a
// shell completes.
#include <algorithm>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "fixture_site.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

size_t occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

}  // namespace

TEST_CASE("a mistyped command exits 2 naming the nearest command", "[cli]") {
  FixtureSite site;
  auto typo = run_isrgen({"buidl", "--site", site.root().string()});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::StartsWith("unknown command 'buidl' (did you mean 'build'?)\n"));
  CHECK_THAT(typo.err, Catch::Contains("isrgen commands: build, revalidate, inspect, why, sync, watch, serve"));
  CHECK_FALSE(std::filesystem::exists(site.out()));

  auto after_option = run_isrgen({"--site", site.root().string(), "sycn"});
  CHECK(after_option.exit_code == 2);
  CHECK_THAT(after_option.err, Catch::StartsWith("unknown command 'sycn' (did you mean 'sync'?)"));

  auto nested = run_isrgen({"inspect", "pgae", "acme/index"});
  CHECK(nested.exit_code == 2);
  CHECK_THAT(nested.err, Catch::StartsWith("unknown command 'pgae' for 'isrgen inspect' (did you mean 'page'?)"));

  auto far = run_isrgen({"frobnicate"});
  CHECK(far.exit_code == 2);
  CHECK_THAT(far.err, Catch::StartsWith("unknown command 'frobnicate'\n"));
}

TEST_CASE("isrgen help [COMMAND] prints the help of isrgen or of the command", "[cli]") {
  auto top = run_isrgen({"help"});
  CHECK(top.exit_code == 0);
  CHECK_THAT(top.out, Catch::Contains("isrgen: incremental static-site generator") && Catch::Contains("revalidate"));
  auto build = run_isrgen({"help", "build"});
  CHECK(build.exit_code == 0);
  CHECK_THAT(build.out, Catch::Contains("--force") && Catch::Contains("--verify"));
  CHECK(build.out == run_isrgen({"build", "--help"}).out);
  auto nested = run_isrgen({"help", "inspect", "page"});
  CHECK(nested.exit_code == 0);
  CHECK_THAT(nested.out, Catch::Contains("--lang"));
  auto typo = run_isrgen({"help", "buidl"});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::StartsWith("unknown command 'buidl' (did you mean 'build'?)"));
}

TEST_CASE("a broken partial every page uses is printed once, with the pages it holds back", "[cli]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  site.write("templates/partials/header.mustache", "<header>{{#oops}}</header>\n");
  const std::string error = "templates/partials/header.mustache:1:9: unclosed section 'oops'";

  auto build = site.build();
  INFO(build.result.err);
  CHECK(build.result.exit_code == 1);
  const size_t failed = build.report["failed"].size();
  CHECK(failed == 5);  // every page: `failed` still names each
  CHECK(occurrences(build.result.err, error) == 1);
  CHECK_THAT(build.result.err, Catch::Contains(error + " (5 pages)\n"));
  REQUIRE(build.report["errors"].size() == 1);
  const json& group = build.report["errors"][0];
  CHECK(group["error"] == error);
  CHECK(group["file"] == "templates/partials/header.mustache");
  CHECK(group["line"] == 1);
  CHECK(group["message"] == "unclosed section 'oops'");
  CHECK(group["pages"] == 5);
  CHECK(group["page_list"].size() == 5);
  CHECK(group["page_list"][0].contains("page"));

  auto verbose = run_isrgen({"build", "--site", site.root().string(), "-v"});
  CHECK(verbose.exit_code == 1);
  CHECK(occurrences(verbose.err, error) == 1);
  CHECK_THAT(verbose.err, Catch::Contains(error + " (5 pages)\n  "));
  for (const char* page : {"acme/index (en)", "acme/index (de)", "acme/all (en)", "acme/jobs/berlin (en)", "nova/index (en)"})
    CHECK(occurrences(verbose.err, std::string("\n  ") + page + "\n") == 1);
}

TEST_CASE("build and sync with -v list each file rendered, deleted or uploaded with its reasons; -q still prints nothing", "[cli]") {
  FixtureSite site;
  auto first = run_isrgen({"build", "--site", site.root().string(), "--verbose"});
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.err, Catch::Contains("rendered acme/jobs/berlin/index.html (new page)\n"));
  CHECK_THAT(first.err, Catch::Contains("rendered acme/de/index.html (new page)\n"));

  site.replace("content/pages/acme/jobs/berlin.md", "Jobs in Berlin.", "Jobs in Berlin and Potsdam.");
  std::filesystem::remove(site / "content/pages/acme/all.md");
  auto second = run_isrgen({"build", "--site", site.root().string(), "-v"});
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.err, Catch::Contains("rendered acme/jobs/berlin/index.html (tag:page:acme/jobs/berlin)\n"));
  CHECK_THAT(second.err, Catch::Contains("deleted acme/all/index.html\n"));
  CHECK_THAT(second.err, !Catch::Contains("rendered acme/index.html"));

  auto quiet = run_isrgen({"build", "--site", site.root().string(), "--force", "-v", "-q"});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());

  ScratchDir target;
  auto synced = run_isrgen({"sync", "--site", site.root().string(), "--target", target.path().string(), "-v"});
  CHECK(synced.exit_code == 0);
  CHECK_THAT(synced.err, Catch::Contains("uploaded acme/jobs/berlin/index.html (new)\n"));
}

TEST_CASE("why takes an output file with or without the output folder, relative or absolute", "[cli]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  const std::string root = site.root().string();
  for (const std::string& spelling : {std::string("out/acme/jobs/berlin/index.html"),
                                      (site.out() / "acme/jobs/berlin/index.html").string(),
                                      (site.out() / "acme/jobs/berlin/").string(), std::string("acme/jobs/berlin")}) {
    INFO(spelling);
    auto why = run_isrgen({"why", spelling, "--site", root});
    CHECK(why.exit_code == 0);
    CHECK_THAT(why.out, Catch::Contains("acme/jobs/berlin (en)"));
  }
  auto outside = run_isrgen({"why", (site / "content/pages/acme/jobs/berlin.md").string(), "--site", root});
  CHECK(outside.exit_code == 1);
  CHECK_THAT(outside.err, Catch::Contains("no page publishes to"));
}

TEST_CASE("a typo in site.toml or front matter is a warning naming the key meant; --strict makes it an error", "[cli]") {
  FixtureSite site;
  site.replace("content/site.toml", "default_language = \"en\"", "defualt_language = \"en\"");
  site.replace("content/pages/acme/all.md", "priority: low", "priority: low\nlayuot: page");
  const std::string settings_typo =
      "content/site.toml:3: unknown key 'defualt_language' in [site] (did you mean 'default_language'?)";
  const std::string page_typo = "content/pages/acme/all.md:4: unknown key 'layuot' in the front matter "
                                "(did you mean 'layout'?)";

  auto build = site.build();
  INFO(build.result.err);
  CHECK(build.result.exit_code == 0);
  CHECK_THAT(build.result.err, Catch::Contains("warning: " + settings_typo));
  CHECK_THAT(build.result.err, Catch::Contains("warning: " + page_typo));
  std::set<std::string> warned;
  for (const json& entry : build.report["warnings"]) warned.insert(entry["page"].get<std::string>() + " " + entry["warning"].get<std::string>().substr(0, 40));
  CHECK(warned.contains(" " + settings_typo.substr(0, 40)));
  CHECK(warned.contains("acme/all " + page_typo.substr(0, 40)));

  auto strict = site.build({"--strict"});
  CHECK(strict.result.exit_code == 2);
  CHECK_THAT(strict.result.err, Catch::Contains(settings_typo));
  CHECK_THAT(strict.result.err, Catch::Contains("(--strict makes unknown keys errors)"));

  // The settings fixed, the page's typo alone fails its page under --strict.
  site.replace("content/site.toml", "defualt_language", "default_language");
  auto page_strict = site.build({"--strict"});
  CHECK(page_strict.result.exit_code == 1);
  REQUIRE(page_strict.report["failed"].size() == 1);
  CHECK(page_strict.report["failed"][0]["page"] == "acme/all");
  CHECK_THAT(page_strict.report["failed"][0]["error"].get<std::string>(), Catch::StartsWith(page_typo));
}

TEST_CASE("a front-matter field a template reads is the template's, however near a key of isrgen's", "[cli]") {
  FixtureSite site;
  site.replace("content/pages/acme/all.md", "priority: low", "priority: low\nlayouts: grid");
  site.write("templates/partials/nav.mustache", "<nav class=\"{{page.layouts}}\"><a href=\"{{page.url}}\">{{site.strings.more}}</a></nav>");
  auto build = site.build({"--strict"});
  INFO(build.result.err);
  CHECK(build.result.exit_code == 0);
  CHECK(build.report["warnings"].empty());
  CHECK_THAT(site.read_out("acme/all/index.html"), Catch::Contains("<nav class=\"grid\">"));
}
