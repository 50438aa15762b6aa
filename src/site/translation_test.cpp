#include "site/translation.h"

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {
PageFile parse(const std::string& text, const std::string& path) {
  auto parsed = parse_page_file(text, path);
  REQUIRE(parsed.ok());
  return parsed.value();
}

const char* kBase =
    "---\n"
    "title: Summer\n"
    "priority: high\n"
    "sections:\n"
    "  - id: hero\n"
    "    components:\n"
    "      - id: hero\n"
    "        type: HERO_BANNER\n"
    "        config: { headline: Find your role, cta_url: /apply/ }\n"
    "---\n"
    "English body\n";
}  // namespace

TEST_CASE("merge_translation overrides title, config and body, keeps the rest") {
  PageFile base = parse(kBase, "content/pages/acme/summer.md");
  PageFile german = parse(
      "---\ntitle: Sommer\nsections:\n  - id: hero\n    components:\n      - id: hero\n"
      "        config: { headline: Finde deine Rolle }\n---\nDeutscher Text\n",
      "content/pages/acme/summer.de.md");
  auto merged = merge_translation(base, german);
  REQUIRE(merged.ok());
  CHECK(merged.value().front_matter["title"] == "Sommer");
  CHECK(merged.value().front_matter["priority"] == "high");
  const ComponentSpec& hero = merged.value().sections[0].components[0];
  CHECK(hero.type == "HERO_BANNER");
  CHECK(hero.config["headline"] == "Finde deine Rolle");
  CHECK(hero.config["cta_url"] == "/apply/");
  CHECK(merged.value().body == "Deutscher Text\n");
}

TEST_CASE("merge_translation keeps the default body when the translation has none") {
  PageFile base = parse(kBase, "content/pages/acme/summer.md");
  PageFile german = parse("---\ntitle: Sommer\n---\n\n  \n", "content/pages/acme/summer.de.md");
  CHECK(merge_translation(base, german).value().body == "English body\n");
}

TEST_CASE("merge_translation rejects sections and components the default page lacks") {
  PageFile base = parse(kBase, "content/pages/acme/summer.md");
  PageFile typo = parse("---\nsections:\n  - id: heroo\n---\n", "content/pages/acme/summer.de.md");
  auto merged = merge_translation(base, typo);
  REQUIRE_FALSE(merged.ok());
  CHECK(merged.error().to_string() ==
        "content/pages/acme/summer.de.md:3: section 'heroo' is not on the default-language page "
        "content/pages/acme/summer.md (sections: hero)");
}
