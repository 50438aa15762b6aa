#include "data/value_order.h"

#include <catch2/catch.hpp>

using isrgen::data::compare_for_sort;
using nlohmann::json;

namespace {
bool before(const char* a, const char* b) { return compare_for_sort(json::parse(a), json::parse(b)) < 0; }
bool same(const char* a, const char* b) { return compare_for_sort(json::parse(a), json::parse(b)) == 0; }
}  // namespace

TEST_CASE("numbers compare numerically across integer and float") {
  CHECK(before("9", "10"));
  CHECK(before("-3", "2"));
  CHECK(before("2", "2.5"));
  CHECK(before("2.5", "3"));
  CHECK(same("1", "1.0"));
  CHECK(before("1e19", "18446744073709551615"));
  CHECK(before("-9223372036854775808", "0"));
  // Past 2^53 a double cannot tell these apart; the comparison still can.
  CHECK(before("9007199254740992.0", "9007199254740993"));
  CHECK_FALSE(before("10", "9"));
}

TEST_CASE("strings compare bytewise") {
  CHECK(before("\"B\"", "\"a\""));  // uppercase sorts before lowercase
  CHECK(before("\"z\"", "\"\xc3\xa9\""));  // 'é' starts with byte 0xC3
  CHECK(before("\"ab\"", "\"abc\""));
  CHECK(same("\"x\"", "\"x\""));
}

TEST_CASE("mixed types: numbers, then strings, then booleans, then the rest") {
  CHECK(before("1000", "\"1\""));
  CHECK(before("\"zzz\"", "false"));
  CHECK(before("false", "true"));
  CHECK(before("true", "[1]"));
  CHECK(before("true", "{}"));
  CHECK(same("[1]", "{\"a\": 2}"));
  CHECK_FALSE(before("\"a\"", "5"));
}
