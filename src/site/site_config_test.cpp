#include "site/site_config.h"

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {
const char* kValid = R"(
[site]
title = "Promo"
default_language = "de"
languages = ["en", "de", "fr"]

[tenants.acme]
name = "Acme Talent"
base_url = "https://acme.example/"
tagline = "Find your role"
[tenants.acme.lang.de]
tagline = "Finde deine Rolle"

[sources.models]
file = "data/models.json"

[sources.jobs]
url = "https://api.example.com/jobs"
revalidate = 300
headers = { Authorization = "Bearer ${JOBS_TOKEN}" }
)";
}

TEST_CASE("parse_site_config reads site, tenants and sources") {
  auto parsed = parse_site_config(kValid, "content/site.toml");
  REQUIRE(parsed.ok());
  const SiteConfig& config = parsed.value();
  CHECK(config.default_language == "de");
  CHECK(config.languages == std::vector<std::string>{"de", "en", "fr"});
  CHECK(config.site_table["title"] == "Promo");
  const TenantConfig& acme = config.tenants.at("acme");
  CHECK(acme.name == "Acme Talent");
  CHECK(acme.base_url == "https://acme.example");
  CHECK(acme.table["id"] == "acme");
  CHECK(acme.table["lang"]["de"]["tagline"] == "Finde deine Rolle");
  CHECK(config.sources.at("models").file == "data/models.json");
  CHECK_FALSE(config.sources.at("models").is_remote());
  CHECK(config.sources.at("jobs").revalidate_seconds == 300);
  CHECK(config.sources.at("jobs").headers["Authorization"] == "Bearer ${JOBS_TOKEN}");
}

TEST_CASE("parse_site_config errors carry file and line") {
  SECTION("TOML syntax") {
    auto parsed = parse_site_config("[site]\ntitle = \n", "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().line == 2);
    CHECK(parsed.error().to_string().starts_with("content/site.toml:2:"));
  }
  SECTION("missing base_url") {
    auto parsed = parse_site_config("[tenants.acme]\nname = \"A\"\n", "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().to_string() == "content/site.toml:1: [tenants.acme] needs base_url = \"https://...\"");
  }
  SECTION("default language not listed") {
    auto parsed = parse_site_config("[site]\ndefault_language = \"fr\"\nlanguages = [\"en\"]\n[tenants.a]\nbase_url = \"https://a\"\n",
                                    "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("'fr' is not in [site] languages") != std::string::npos);
  }
  SECTION("source with both file and url") {
    auto parsed = parse_site_config(
        "[tenants.a]\nbase_url = \"https://a\"\n[sources.x]\nfile = \"a.json\"\nurl = \"https://x\"\n", "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("exactly one of file") != std::string::npos);
  }
  SECTION("unknown source setting") {
    auto parsed = parse_site_config("[tenants.a]\nbase_url = \"https://a\"\n[sources.x]\nfile = \"a.json\"\nfiel = 1\n",
                                    "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().line == 5);
    CHECK(parsed.error().message.find("unknown setting 'fiel'") != std::string::npos);
  }
  SECTION("no tenants") {
    auto parsed = parse_site_config("[site]\n", "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("no tenants") != std::string::npos);
  }
}
