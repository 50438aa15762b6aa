#include "util/json_nesting.h"

#include <string>

#include <catch2/catch.hpp>

using isrgen::json_nesting_past;

TEST_CASE("json_nesting_past finds the first opener past the limit", "[util][security]") {
  CHECK_FALSE(json_nesting_past(R"([{"a": [1, {"b": []}]}])", 5));
  CHECK(json_nesting_past(R"([{"a": [1, {"b": []}]}])", 4) == 17u);
  CHECK(json_nesting_past(R"([{"a": [1, {"b": []}]}])", 3) == 11u);
  CHECK(json_nesting_past(std::string(100'000, '[') + std::string(100'000, ']'), 64) == 64u);
  // Brackets inside strings, escaped quotes included, are text.
  CHECK_FALSE(json_nesting_past(R"(["[[[[", "\"[[[[", {"k[": "{{{{"}])", 2));
  // Siblings do not add up.
  CHECK_FALSE(json_nesting_past("[[1],[2],[3],[[4]]]", 3));
}
