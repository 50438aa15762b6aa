#include "util/text.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("position_of counts lines and columns from 1") {
  std::string_view text = "ab\ncd\n\nef";
  CHECK(position_of(text, 0).line == 1);
  CHECK(position_of(text, 4).line == 2);
  CHECK(position_of(text, 4).column == 2);
  CHECK(position_of(text, 8).line == 4);
  CHECK(position_of(text, 99).line == 4);
}

TEST_CASE("first_invalid_utf8 accepts well-formed text and finds bad bytes") {
  CHECK_FALSE(first_invalid_utf8("plain ascii").has_value());
  CHECK_FALSE(first_invalid_utf8("Grüße – 日本 🎉").has_value());
  CHECK(first_invalid_utf8("ok\xff").value() == 2);
  CHECK(first_invalid_utf8("\xc0\xaf").value() == 0);          // overlong '/'
  CHECK(first_invalid_utf8("a\xed\xa0\x80").value() == 1);     // surrogate
  CHECK(first_invalid_utf8("ab\xe2\x82").value() == 2);        // truncated
  CHECK(first_invalid_utf8("\xf4\x90\x80\x80").value() == 0);  // past U+10FFFF
}

TEST_CASE("trim drops whitespace, or the characters given, at both ends only") {
  CHECK(trim("  \t name \r\n") == "name");
  CHECK(trim("a b") == "a b");
  CHECK(trim(" \t\r\n\f\v") == "");
  CHECK(trim("") == "");
  CHECK(trim(" \tsha256=ab\r", " \t") == "sha256=ab\r");
}
