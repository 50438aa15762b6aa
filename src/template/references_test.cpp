#include "template/references.h"

#include <catch2/catch.hpp>

using namespace isrgen::tmpl;

TEST_CASE("references lists looked-up roots and named partials") {
  auto compiled = compile(
      "{{config.heading}}{{#items}}{{name}}{{> card}}{{/items}}{{^page.is_home}}x{{/page.is_home}}"
      "{{<base}}{{$main}}{{{html}}}{{/main}}{{/base}}{{.}}",
      "t.mustache");
  REQUIRE(compiled.ok());
  References found = references(*compiled.value());
  CHECK(found.roots == std::set<std::string>{"config", "html", "items", "name", "page"});
  CHECK(found.segments == std::set<std::string>{"config", "heading", "html", "items", "name", "page", "is_home"});
  CHECK(found.partials == std::set<std::string>{"base", "card"});
  CHECK_FALSE(found.dynamic_partials);
  auto dynamic = compile("{{>*which}}", "d.mustache");
  REQUIRE(dynamic.ok());
  CHECK(references(*dynamic.value()).dynamic_partials);
  CHECK(references(*dynamic.value()).roots == std::set<std::string>{"which"});
}
