// For the data tests: a Source parsed from JSON text, failing the test (with the
// parse error shown) when the text does not parse.
#pragma once

#include <string_view>

#include <catch2/catch.hpp>

#include "data/source.h"

namespace isrgen::data::testing {

inline Source source_of(std::string_view text) {
  auto parsed = parse_source("models", "content/data/models.json", text);
  INFO((parsed.ok() ? "" : parsed.error().to_string()));
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

}  // namespace isrgen::data::testing
