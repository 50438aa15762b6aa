// Bad input: each problem is reported as "file:line: message" in the report and
// on stderr, the other pages still build, the exit status is 1, and the failed
// page keeps its last good output.
#include <catch2/catch.hpp>

#include "fixture_site.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

struct Breakage {
  std::string file;
  std::string text;
  std::string failing_page;   // "<tenant>/<slug>"
  std::string expected_error; // a prefix or exact substring of the error
};

// Builds the fixture once (good), applies the breakage, builds again and checks
// the contract for bad input.
void check_breakage(const Breakage& breakage) {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  std::string last_good = site.read_out("acme/index.html");

  site.write(breakage.file, breakage.text);
  // Another page changes in the same build: it must still be built.
  site.write("content/pages/nova/index.md", "---\ntitle: Nova\n---\nStill building.\n");
  auto build = site.build();
  INFO(build.result.err);
  CHECK(build.result.exit_code == 1);
  bool reported = false;
  for (const json& failure : build.report["failed"])
    reported |= failure["page"] == breakage.failing_page &&
                failure["error"].get<std::string>().find(breakage.expected_error) != std::string::npos;
  CHECK(reported);
  CHECK_THAT(build.result.err, Catch::Contains(breakage.expected_error));
  // other pages still built
  CHECK_THAT(site.read_out("nova/index.html"), Catch::Contains("Still building."));
  bool nova_rendered = false;
  for (const json& entry : build.report["rendered"]) nova_rendered |= entry["page"] == "nova/index";
  CHECK(nova_rendered);
  // the failed page keeps its last good output
  if (breakage.failing_page == "acme/index") CHECK(site.read_out("acme/index.html") == last_good);
}

}  // namespace

TEST_CASE("malformed YAML front matter") {
  check_breakage({"content/pages/acme/index.md", "---\ntitle: [unclosed\n---\nbody\n", "acme/index",
                  "content/pages/acme/index.md:3:"});
}

TEST_CASE("unknown layout") {
  check_breakage({"content/pages/acme/index.md", "---\ntitle: x\nlayout: nope\n---\nbody\n", "acme/index",
                  "content/pages/acme/index.md:3: unknown layout 'nope' (layouts: base, page)"});
}

TEST_CASE("unknown component type") {
  check_breakage({"content/pages/acme/index.md",
                  "---\nsections:\n  - id: s\n    components:\n      - type: NOPE\n---\n", "acme/index",
                  "content/pages/acme/index.md:5: unknown component type 'NOPE'"});
}

TEST_CASE("missing source") {
  check_breakage({"content/pages/acme/index.md",
                  "---\nsections:\n  - id: s\n    components:\n      - type: MODELS\n        source: jobs\n---\n",
                  "acme/index", "content/pages/acme/index.md:5: unknown source 'jobs' (sources: models;"});
}

TEST_CASE("filter on an unknown field") {
  check_breakage({"content/pages/acme/index.md",
                  "---\nsections:\n  - id: s\n    components:\n      - type: MODELS\n        source: models\n"
                  "        filter: { colour: red }\n---\n",
                  "acme/index", "content/pages/acme/index.md:5: component 'models-1': unknown field 'colour'"});
}

TEST_CASE("template syntax error") {
  check_breakage({"templates/components/HERO.mustache", "<h1>{{#config}}{{headline}}</h1>\n", "acme/index",
                  "templates/components/HERO.mustache:1:5: unclosed section 'config'"});
}

TEST_CASE("duplicate record ids") {
  check_breakage({"content/data/models.json",
                  "[\n  {\"id\": \"m-1\", \"category\": \"fashion\"},\n  {\"id\": \"m-1\", \"category\": \"x\"}\n]\n",
                  "acme/index", "content/data/models.json:3:3: duplicate id 'm-1'"});
}

TEST_CASE("broken data file") {
  check_breakage({"content/data/models.json", "[\n  {\"id\": \"m-1\",,}\n]\n", "acme/index",
                  "content/data/models.json:2:"});
}

TEST_CASE("invalid UTF-8 in a page") {
  check_breakage({"content/pages/acme/index.md", "---\ntitle: ok\n---\nbad \xC3\x28 byte\n", "acme/index",
                  "content/pages/acme/index.md:4:5: invalid UTF-8"});
}

TEST_CASE("a translation naming a section the page lacks") {
  check_breakage({"content/pages/acme/index.de.md", "---\nsections:\n  - id: nope\n---\n", "acme/index",
                  "content/pages/acme/index.de.md:3: section 'nope' is not on the default-language page"});
}

TEST_CASE("a page of an unknown tenant") {
  check_breakage({"content/pages/ghost/index.md", "---\ntitle: x\n---\n", "ghost/index",
                  "content/pages/ghost/index.md: unknown tenant 'ghost'"});
}

TEST_CASE("a partial that does not exist") {
  check_breakage({"templates/components/HERO.mustache", "<h1>{{> missing}}</h1>\n", "acme/index",
                  "templates/components/HERO.mustache:1:5: unknown partial 'missing'"});
}
