#include "site/json_merge.h"

#include <catch2/catch.hpp>

using nlohmann::json;
using namespace isrgen;

TEST_CASE("deep_merge merges objects and replaces arrays and scalars") {
  json base = {{"title", "Hello"}, {"config", {{"a", 1}, {"b", {{"c", 2}}}}}, {"list", {1, 2, 3}}};
  deep_merge(base, {{"title", "Hallo"}, {"config", {{"b", {{"d", 4}}}}}, {"list", {9}}});
  CHECK(base["title"] == "Hallo");
  CHECK(base["config"]["a"] == 1);
  CHECK(base["config"]["b"]["c"] == 2);
  CHECK(base["config"]["b"]["d"] == 4);
  CHECK(base["list"] == json({9}));
}

TEST_CASE("localized merges the language's table and drops the lang key") {
  json tenant = {{"name", "Acme"}, {"tagline", "Find your role"}, {"lang", {{"de", {{"tagline", "Finde deine Rolle"}}}}}};
  json german = localized(tenant, "de");
  CHECK(german["tagline"] == "Finde deine Rolle");
  CHECK(german["name"] == "Acme");
  CHECK_FALSE(german.contains("lang"));
  json english = localized(tenant, "en");
  CHECK(english["tagline"] == "Find your role");
  CHECK_FALSE(english.contains("lang"));
}
