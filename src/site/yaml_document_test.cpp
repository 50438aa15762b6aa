#include "site/yaml_document.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using nlohmann::json;

TEST_CASE("parse_yaml types plain scalars by the YAML 1.2 core schema") {
  auto document = parse_yaml(
      "int: 42\nneg: -7\nhex: 0x1f\nfloat: 4.5\nexp: 1e3\nyes: true\nno: False\nnothing: ~\nempty:\n"
      "quoted: \"42\"\nsingle: 'true'\ntagged: !!str 12\ntext: hello world\nlist: [a, 2]\nmap: {k: v}\n"
      "version: 1.2.3\n",
      "p.md", 2);
  REQUIRE(document.ok());
  const json& value = document.value().value;
  CHECK(value["int"] == 42);
  CHECK(value["neg"] == -7);
  CHECK(value["hex"] == 31);
  CHECK(value["float"] == 4.5);
  CHECK(value["exp"] == 1000.0);
  CHECK(value["yes"] == true);
  CHECK(value["no"] == false);
  CHECK(value["nothing"].is_null());
  CHECK(value["empty"].is_null());
  CHECK(value["quoted"] == "42");
  CHECK(value["single"] == "true");
  CHECK(value["tagged"] == "12");
  CHECK(value["text"] == "hello world");
  CHECK(value["list"] == json({"a", 2}));
  CHECK(value["map"]["k"] == "v");
  CHECK(value["version"] == "1.2.3");
}

TEST_CASE("parse_yaml records the file line of every node") {
  auto document = parse_yaml(
      "title: A\n"
      "sections:\n"
      "  - id: hero\n"
      "    components:\n"
      "      - type: X\n"
      "      - type: Y\n"
      "        config: {a: 1}\n",
      "p.md", 2);
  REQUIRE(document.ok());
  const YamlDocument& doc = document.value();
  CHECK(doc.line_of("/title") == 2);
  CHECK(doc.line_of("/sections") == 3);
  CHECK(doc.line_of("/sections/0") == 4);
  CHECK(doc.line_of("/sections/0/components/0") == 6);
  CHECK(doc.line_of("/sections/0/components/1") == 7);
  CHECK(doc.line_of("/sections/0/components/1/config") == 8);
  CHECK(doc.line_of("/missing", -1) == -1);
  CHECK(doc.value["sections"][0]["components"][1]["config"]["a"] == 1);
}

TEST_CASE("parse_yaml supports anchors and aliases") {
  auto document = parse_yaml("base: &cfg {a: 1, b: [x]}\ncopy: *cfg\n", "p.md", 1);
  REQUIRE(document.ok());
  CHECK(document.value().value["copy"] == document.value().value["base"]);
}

TEST_CASE("parse_yaml errors carry the file line and column") {
  auto broken = parse_yaml("title: [unclosed\nother: 1\n", "content/pages/a/x.md", 2);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().file == "content/pages/a/x.md");
  CHECK(broken.error().line == 3);
  CHECK(broken.error().message.starts_with("front matter: "));
  auto alias = parse_yaml("a: *nope\n", "p.md", 2);
  REQUIRE_FALSE(alias.ok());
  CHECK(alias.error().to_string().starts_with("p.md:2:"));
  auto two = parse_yaml("a: 1\n---\nb: 2\n", "p.md", 2);
  REQUIRE_FALSE(two.ok());
  CHECK(two.error().message == "front matter holds more than one YAML document");
}

TEST_CASE("parse_yaml stops a billion laughs before it expands", "[site][security]") {
  auto parsed = parse_yaml(isrgen::testing::yaml_billion_laughs(), "content/pages/acme/bomb.md", 2);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().file == "content/pages/acme/bomb.md");
  CHECK(parsed.error().line == 7);  // f's second alias crosses 100,000 values (74,744 before f)
  CHECK(parsed.error().message ==
        "front matter: more than 100000 values (aliases counted as what they repeat); raise limits.front_matter_nodes "
        "in content/site.toml if this is meant");

  // 20 values: the mapping, its 2 keys, a's sequence of 3, b's sequence and 3 × 4 repeated.
  InputLimits exact;
  exact.front_matter_nodes = 20;
  CHECK(parse_yaml("a: &a [lol, lol, lol]\nb: [*a, *a, *a]\n", "p.md", 1, exact).ok());
  exact.front_matter_nodes = 19;
  CHECK_FALSE(parse_yaml("a: &a [lol, lol, lol]\nb: [*a, *a, *a]\n", "p.md", 1, exact).ok());
}

TEST_CASE("parse_yaml refuses nesting past the depth limit", "[site][security]") {
  auto deep = parse_yaml("x: " + std::string(30'000, '[') + std::string(30'000, ']') + "\n", "p.md", 2);
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().line == 2);
  CHECK(deep.error().message ==
        "front matter: mappings and sequences nested deeper than 64 levels; raise limits.front_matter_depth in "
        "content/site.toml if this is meant");
  InputLimits shallow;
  shallow.front_matter_depth = 3;
  CHECK(parse_yaml("a: {b: [1]}\n", "p.md", 1, shallow).ok());
  CHECK_FALSE(parse_yaml("a: {b: [[1]]}\n", "p.md", 1, shallow).ok());
}
