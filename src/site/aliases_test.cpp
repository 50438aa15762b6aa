#include "site/aliases.h"

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {

Result<std::vector<std::string>> aliases_of(nlohmann::json value) {
  PageFile file;
  file.display_path = "content/pages/acme/new.md";
  file.front_matter["aliases"] = std::move(value);
  file.field_locations["aliases"] = {"content/pages/acme/new.md", 3};
  return page_aliases(file);
}

std::string problem(nlohmann::json value) {
  auto parsed = aliases_of(std::move(value));
  return parsed.ok() ? "" : parsed.error().to_string();
}

}  // namespace

TEST_CASE("aliases: root-relative URLs, a folder's given its slash, each once") {
  auto parsed = aliases_of({"/old-url/", "/old", "/de/alt/", "/old.html", "/old-url/"});
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == std::vector<std::string>{"/old-url/", "/old/", "/de/alt/", "/old.html"});
  CHECK(aliases_of(nullptr).value().empty());
  CHECK(alias_output("acme", "/old-url/") == "acme/old-url/index.html");
  CHECK(alias_output("acme", "/old.html") == "acme/old.html");
}

TEST_CASE("aliases: anything but a path on the tenant is an error at the field's line") {
  CHECK(problem("/old/") == "content/pages/acme/new.md:3: aliases must be a list of old URLs on the tenant, e.g. aliases: [/old-url/]");
  CHECK(problem({"old/"}) == "content/pages/acme/new.md:3: alias 'old/' must start with '/' (a URL on the tenant, e.g. /old-url/)");
  CHECK(problem({"/a/../b/"}).ends_with("must not have a '.' or '..' segment"));
  CHECK(problem({"/.."}).ends_with("must not have a '.' or '..' segment"));
  CHECK(problem({"/.isrgen-redirects.json"}).ends_with("(a segment starting with '.')"));
  CHECK(problem({"https://evil.example/"}).ends_with("must start with '/' (a URL on the tenant, e.g. /old-url/)"));
  CHECK(problem({"//evil.example/"}).ends_with("without a scheme or host"));
  CHECK(problem({"/a?b=1"}).ends_with("must not have a query, fragment or backslash"));
  CHECK(problem({"/a b/"}).ends_with("must not have spaces or control characters"));
  CHECK(problem({"/a//b/"}).ends_with("must not have an empty segment ('//')"));
  CHECK(problem({"/"}).ends_with("which is a page's own URL"));
  CHECK(problem({42}).ends_with("e.g. aliases: [/old-url/]"));
}

TEST_CASE("aliases: the language of an alias is its /<lang>/ prefix, else the default") {
  const std::vector<std::string> languages = {"en", "de"};
  CHECK(alias_language("/de/alt/", languages, "en") == "de");
  CHECK(alias_language("/dealt/", languages, "en") == "en");
  CHECK(alias_language("/en/x/", languages, "en") == "en");
}
