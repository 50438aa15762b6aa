#include "site/front_matter.h"

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>

using namespace isrgen;
using nlohmann::json;

TEST_CASE("split_front_matter separates YAML and body with line numbers") {
  auto split = split_front_matter("---\ntitle: A\nx: 1\n---\nBody\nmore\n", "p.md");
  REQUIRE(split.ok());
  CHECK(split.value().yaml == "title: A\nx: 1\n");
  CHECK(split.value().yaml_first_line == 2);
  CHECK(split.value().body == "Body\nmore\n");
  CHECK(split.value().body_first_line == 5);
}

TEST_CASE("split_front_matter accepts files without front matter, CRLF and a BOM") {
  CHECK(split_front_matter("# Only body\n", "p.md").value().yaml.empty());
  auto crlf = split_front_matter("\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\nBody", "p.md");
  REQUIRE(crlf.ok());
  CHECK(crlf.value().yaml == "title: A\r\n");
  CHECK(crlf.value().body == "Body");
}

TEST_CASE("split_front_matter reports an unclosed block") {
  auto split = split_front_matter("---\ntitle: A\nBody\n", "content/pages/a/b.md");
  REQUIRE_FALSE(split.ok());
  CHECK(split.error().to_string().starts_with("content/pages/a/b.md:1: front matter opened with '---'"));
}

TEST_CASE("yaml_to_json types plain scalars by the YAML 1.2 core schema") {
  json value = yaml_to_json(YAML::Load(
      "int: 42\nneg: -7\nhex: 0x1f\nfloat: 4.5\nexp: 1e3\nyes: true\nno: False\nnothing: ~\nempty:\n"
      "quoted: \"42\"\nsingle: 'true'\ntext: hello world\nlist: [a, 2]\nmap: {k: v}\nversion: 1.2.3\n"));
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
  CHECK(value["text"] == "hello world");
  CHECK(value["list"] == json({"a", 2}));
  CHECK(value["map"]["k"] == "v");
  CHECK(value["version"] == "1.2.3");
}
