#include "util/ascii.h"

#include <catch2/catch.hpp>

using isrgen::equals_ignoring_ascii_case;

TEST_CASE("equals_ignoring_ascii_case folds ASCII letters only") {
  CHECK(equals_ignoring_ascii_case("If-None-Match", "if-none-match"));
  CHECK(equals_ignoring_ascii_case("", ""));
  CHECK_FALSE(equals_ignoring_ascii_case("ETag", "ETags"));
  CHECK_FALSE(equals_ignoring_ascii_case("ETag", "ETaf"));
  CHECK_FALSE(equals_ignoring_ascii_case("\xC3\x84", "\xC3\xA4"));  // Ä, ä: not ASCII, not folded
}

TEST_CASE("find_header finds the first header of a name in any case") {
  isrgen::HeaderFields headers{{"accept", "text/html"}, {"Accept", "application/json"}, {"X-Empty", ""}};
  CHECK(isrgen::find_header(headers, "ACCEPT") == "text/html");
  CHECK(isrgen::find_header(headers, "x-empty") == "");
  CHECK_FALSE(isrgen::find_header(headers, "Accept-Encoding").has_value());
  CHECK_FALSE(isrgen::find_header({}, "Accept").has_value());
}
