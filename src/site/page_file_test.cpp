#include "site/page_file.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("parse_page_file reads fields, sections and components with lines") {
  const char* text =
      "---\n"
      "title: Summer\n"
      "priority: high\n"
      "tags: [campaign:summer]\n"
      "sections:\n"
      "  - id: talent\n"
      "    components:\n"
      "      - id: models\n"
      "        type: MODEL_SHOWCASE\n"
      "        source: models\n"
      "        filter: { category: [fashion, fitness] }\n"
      "        sort: -rating\n"
      "        limit: 6\n"
      "        config: { heading: Our faces }\n"
      "      - type: HERO_BANNER\n"
      "---\n"
      "Hello *world*\n";
  auto parsed = parse_page_file(text, "content/pages/acme/summer.md");
  REQUIRE(parsed.ok());
  const PageFile& page = parsed.value();
  CHECK(page.front_matter["title"] == "Summer");
  CHECK(page.front_matter["tags"][0] == "campaign:summer");
  CHECK_FALSE(page.front_matter.contains("sections"));
  REQUIRE(page.sections.size() == 1);
  CHECK(page.sections[0].id == "talent");
  REQUIRE(page.sections[0].components.size() == 2);
  const ComponentSpec& models = page.sections[0].components[0];
  CHECK(models.type == "MODEL_SHOWCASE");
  CHECK(models.line == 8);
  CHECK(models.filter["category"][1] == "fitness");
  CHECK(models.sort == "-rating");
  CHECK(models.limit == 6);
  CHECK(models.config["heading"] == "Our faces");
  CHECK(page.sections[0].components[1].id == "hero_banner-2");
  CHECK(page.body == "Hello *world*\n");
  CHECK(page.body_line == 17);
}

TEST_CASE("parse_page_file errors point at the line") {
  SECTION("malformed YAML") {
    auto parsed = parse_page_file("---\ntitle: A\nsections: [\n---\nbody", "content/pages/a/x.md");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().file == "content/pages/a/x.md");
    CHECK(parsed.error().line >= 3);
    CHECK(parsed.error().message.starts_with("front matter: "));
  }
  SECTION("invalid UTF-8") {
    auto parsed = parse_page_file("---\ntitle: A\n---\nline\nbad \xff byte\n", "content/pages/a/x.md");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().to_string() == "content/pages/a/x.md:5:5: invalid UTF-8 (save the file as UTF-8)");
  }
  SECTION("unknown component field") {
    auto parsed = parse_page_file("---\nsections:\n  - id: s\n    components:\n      - type: X\n        fitler: {}\n---\n",
                                  "p.md");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().line == 6);
    CHECK(parsed.error().message == "unknown component field 'fitler' (did you mean 'filter'?)");
  }
  SECTION("keys isrgen does not read: near its own at the top level, any in a section") {
    auto parsed = parse_page_file(
        "---\ntitle: A\nlayuot: page\nhero_image: /a.png\nsections:\n  - id: s\n    componets: []\n---\n", "p.md");
    REQUIRE(parsed.ok());
    const auto& typos = parsed.value().key_warnings;
    REQUIRE(typos.size() == 2);
    CHECK(typos[0].warning.to_string() ==
          "p.md:3: unknown key 'layuot' in the front matter (did you mean 'layout'?): isrgen does not read it, nor "
          "does any template");
    CHECK(typos[0].templates_may_read);
    CHECK(typos[1].warning.to_string() == "p.md:7: unknown key 'componets' in section 's' (did you mean 'components'?)");
    CHECK_FALSE(typos[1].templates_may_read);
  }
  SECTION("bad priority") {
    auto parsed = parse_page_file("---\ntitle: A\npriority: urgent\n---\n", "p.md");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().to_string() == "p.md:3: priority must be high, medium or low");
  }
  SECTION("filter without source") {
    auto parsed = parse_page_file("---\nsections:\n  - components:\n      - type: X\n        limit: 3\n---\n", "p.md");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().line == 4);
  }
}
