#include "data/array_elements.h"

#include <catch2/catch.hpp>

using isrgen::data::array_element_positions;

namespace {
// "line:column" of each element, readable when a check fails.
std::vector<std::string> lines_and_columns(std::string_view text) {
  std::vector<std::string> out;
  for (auto at : array_element_positions(text)) out.push_back(std::to_string(at.line) + ":" + std::to_string(at.column));
  return out;
}
using Positions = std::vector<std::string>;
}  // namespace

TEST_CASE("array_element_positions finds each top-level element") {
  CHECK(lines_and_columns("[1, 22,333]") == Positions{"1:2", "1:5", "1:8"});
  CHECK(lines_and_columns("[\n  {\"id\": 1},\n  {\"id\": 2}\n]") == Positions{"2:3", "3:3"});
  CHECK(lines_and_columns("\r\n\t[ \"a\" ,\n\ttrue ]") == Positions{"2:4", "3:2"});
}

TEST_CASE("array_element_positions skips what is nested or quoted") {
  std::string_view text =
      "[\n"
      "  {\"a\": [1, {\"b\": 2}], \"s\": \"x,[{\\\"y\"},\n"
      "  [[], [3, 4]],\n"
      "  \"\\\\\"\n"
      "]";
  CHECK(lines_and_columns(text) == Positions{"2:3", "3:3", "4:3"});
}

TEST_CASE("array_element_positions of an empty array is empty") {
  CHECK(array_element_positions("[]").empty());
  CHECK(array_element_positions(" [ \n ] ").empty());
}
