#include "site/toml_document.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("parse_toml_document parses ordinary settings", "[site][toml]") {
  auto parsed = parse_toml_document(R"([site.strings]
version = "1.2.3" # a comment with [[[ and a.b.c.d
pi = 3.14159
when = 1979-05-27T07:32:00.999Z
list = [[1, 2], [3.5, 4.5]]
'quoted.key' = { inner.key = true }
text = """
multi [ line { with " quotes """
)",
                                    "content/site.toml");
  INFO((parsed.ok() ? "" : parsed.error().to_string()));
  REQUIRE(parsed.ok());
  CHECK(parsed.value()["site"]["strings"]["pi"].value<double>() == 3.14159);
  CHECK(parsed.value()["site"]["strings"]["quoted.key"]["inner"]["key"].value<bool>() == true);
}

TEST_CASE("parse_toml_document refuses keys and nesting that would overflow the parser", "[site][toml][security]") {
  std::string header = "[site";
  for (int i = 0; i < 100'000; ++i) header += ".a";
  auto deep_header = parse_toml_document("x = 1\n" + header + "]\n", "content/site.toml");
  REQUIRE_FALSE(deep_header.ok());
  CHECK(deep_header.error().to_string() ==
        "content/site.toml:2:133: a dotted key of more than 64 parts: no site needs this; refused");

  std::string inline_key = "x = {";
  for (int i = 0; i < 100'000; ++i) inline_key += "a . ";
  CHECK_FALSE(parse_toml_document(inline_key + "b = 1}\n", "content/site.toml").ok());

  auto nested = parse_toml_document("x = " + std::string(100, '[') + std::string(100, ']') + "\n", "content/site.toml");
  REQUIRE_FALSE(nested.ok());
  CHECK_THAT(nested.error().message, Catch::Contains("nested more than 64 deep"));

  std::string keys = "[site]\n";
  for (int i = 0; i < 64; ++i) keys += (i ? "." : "") + std::string("k");
  CHECK(parse_toml_document(keys + " = 1\n", "content/site.toml").ok());
}

TEST_CASE("parse_toml_document reports syntax errors at their line", "[site][toml]") {
  auto broken = parse_toml_document("[site]\nname = \n", "content/site.toml");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().file == "content/site.toml");
  CHECK(broken.error().line == 2);
}
