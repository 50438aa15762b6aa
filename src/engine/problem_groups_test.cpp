#include "engine/problem_groups.h"

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {

void fail(BuildReport& report, const std::string& page, const std::string& lang, const Error& cause) {
  report.failed.push_back({page, lang, cause.to_string(), cause});
}

}  // namespace

TEST_CASE("failures of one shared input read as one line with the pages it holds back", "[build]") {
  BuildReport report;
  const Error partial = make_error("templates/partials/header.mustache", 1, "unclosed section 'oops'", 1);
  const Error own = make_error("content/pages/acme/bad.md", 3, "unknown layout 'nope'");
  fail(report, "acme/a", "en", partial);
  fail(report, "acme/bad", "en", own);
  fail(report, "acme/a", "de", partial);
  fail(report, "nova/b", "en", partial);

  std::vector<ProblemGroup> groups = group_failures(report);
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].text == "templates/partials/header.mustache:1:1: unclosed section 'oops'");
  CHECK(groups[0].shared);
  CHECK(groups[0].pages == std::vector<std::pair<std::string, std::string>>{{"acme/a", "en"}, {"acme/a", "de"}, {"nova/b", "en"}});
  CHECK(problem_lines(groups[0], false) ==
        std::vector<std::string>{"templates/partials/header.mustache:1:1: unclosed section 'oops' (3 pages)"});
  CHECK(problem_lines(groups[0], true) ==
        std::vector<std::string>{"templates/partials/header.mustache:1:1: unclosed section 'oops' (3 pages)",
                                 "  acme/a (en)", "  acme/a (de)", "  nova/b (en)"});
  // A page's own error is its own line, as it always was.
  CHECK_FALSE(groups[1].shared);
  CHECK(problem_lines(groups[1], true) == std::vector<std::string>{"content/pages/acme/bad.md:3: unknown layout 'nope'"});

  SECTION("a shared input holding back a single page says so") {
    BuildReport single;
    fail(single, "acme/a", "en", partial);
    CHECK(problem_lines(group_failures(single).front(), false).front().ends_with("'oops' (1 page)"));
  }
  SECTION("the same message at another line of the same file is another cause") {
    fail(report, "acme/c", "en", make_error("templates/partials/header.mustache", 2, "unclosed section 'oops'", 1));
    CHECK(group_failures(report).size() == 3);
  }
  SECTION("a page failing in two languages for its own file names both") {
    BuildReport both;
    const Error yaml = make_error("content/pages/acme/x.md", 2, "bad YAML");
    fail(both, "acme/x", "en", yaml);
    fail(both, "acme/x", "de", yaml);
    CHECK(problem_lines(group_failures(both).front(), false).front() == "content/pages/acme/x.md:2: bad YAML (2 pages)");
  }
}

TEST_CASE("the report's errors list groups failed pages by cause, and failed still names each", "[build]") {
  BuildReport report;
  const Error data = make_error("content/data/models.json", 57, "duplicate id 'm-12' (first at line 12)", 3);
  fail(report, "acme/a", "en", data);
  fail(report, "acme/b", "en", data);
  nlohmann::ordered_json json = report.to_json();
  CHECK(json["failed"].size() == 2);
  REQUIRE(json["errors"].size() == 1);
  const auto& group = json["errors"][0];
  CHECK(group["error"] == "content/data/models.json:57:3: duplicate id 'm-12' (first at line 12)");
  CHECK(group["file"] == "content/data/models.json");
  CHECK(group["line"] == 57);
  CHECK(group["column"] == 3);
  CHECK(group["message"] == "duplicate id 'm-12' (first at line 12)");
  CHECK(group["pages"] == 2);
  CHECK(group["page_list"] == nlohmann::ordered_json::array({{{"page", "acme/a"}, {"lang", "en"}},
                                                             {{"page", "acme/b"}, {"lang", "en"}}}));
}

TEST_CASE("identical warnings of several pages read as one line", "[build]") {
  BuildReport report;
  report.warnings.push_back({"acme/a", "en", "content/site.toml:3: unknown key"});
  report.warnings.push_back({"acme/b", "en", "content/site.toml:3: unknown key"});
  report.warnings.push_back({"acme/b", "en", "templates/x.mustache:1:2: unsafe URL"});
  std::vector<ProblemGroup> groups = group_warnings(report);
  REQUIRE(groups.size() == 2);
  CHECK(problem_lines(groups[0], false).front() == "content/site.toml:3: unknown key (2 pages)");
  CHECK(problem_lines(groups[1], false).front() == "templates/x.mustache:1:2: unsafe URL");
}
