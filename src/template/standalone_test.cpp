// Standalone lines beyond what the spec files spell out.

#include "template/standalone.h"

#include <catch2/catch.hpp>

#include "template/test_helpers.h"

using namespace isrgen::tmpl;
using namespace isrgen::tmpl::testing;
using nlohmann::json;

TEST_CASE("a line with two section tags is not standalone") {
  CHECK(render_source("{{#a}}{{/a}}\nx", json{{"a", true}}) == "\nx");
}

TEST_CASE("parent tags do not count towards a standalone line's single tag") {
  MapResolver partials = partials_from({{"layout", "<main>\n  {{$body}}\n  {{/body}}\n</main>\n"}});
  std::string page =
      "{{<layout}}{{$body}}\n"
      "<p>one</p>\n"
      "<p>two</p>\n"
      "{{/body}}{{/layout}}\n";
  CHECK(render_source(page, json::object(), &partials) == "<main>\n  <p>one</p>\n  <p>two</p>\n</main>\n");
}

TEST_CASE("a standalone parent is indented like a standalone partial") {
  MapResolver partials = partials_from({{"card", "<div>\n  {{$title}}?{{/title}}\n</div>\n"}});
  CHECK(render_source("<li>\n  {{<card}}{{$title}}T{{/title}}{{/card}}\n</li>\n", json::object(), &partials) ==
        "<li>\n  <div>\n    T\n  </div>\n</li>\n");
}

TEST_CASE("standalone tags are found on CRLF lines and across multi-line comments") {
  CHECK(render_source("a\r\n  {{#t}}\r\nb\r\n  {{/t}}\r\nc", json{{"t", true}}) == "a\r\nb\r\nc");
  CHECK(render_source("a\n  {{! one\n two }}  \nb", json::object()) == "a\nb");
}

TEST_CASE("mark_standalone_lines records the indentation of partials and blocks") {
  std::string source = "x\n\t {{>p}}\n{{$b}}\n    body\n{{/b}}";
  auto tokens = tokenize(source, "t");
  REQUIRE(tokens.ok());
  mark_standalone_lines(source, tokens.value());
  const auto& all = tokens.value();
  REQUIRE(all.size() == 6);
  CHECK(source.substr(all[0].begin, all[0].end - all[0].begin) == "x\n");
  CHECK(all[1].standalone);
  CHECK(all[1].indentation == "\t ");
  CHECK(all[3].standalone);
  CHECK(all[3].indentation == "    ");  // a standalone block is indented as its first content line
  CHECK(source.substr(all[4].begin, all[4].end - all[4].begin) == "    body\n");
}

TEST_CASE("text passed in a block is kept when the block's tags share its line") {
  MapResolver partials = partials_from({{"head", "<title>{{$title}}{{/title}}</title>\n"}});
  CHECK(render_source("{{<head}}\n  {{$title}}My page{{/title}}\n{{/head}}\n", json::object(), &partials) ==
        "<title>My page</title>\n");
}
