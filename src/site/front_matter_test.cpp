#include "site/front_matter.h"

#include <catch2/catch.hpp>

using namespace isrgen;

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
