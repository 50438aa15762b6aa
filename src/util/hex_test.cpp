#include "util/hex.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("hex: encodes lower case and decodes either case") {
  const unsigned char bytes[] = {0x00, 0x7f, 0xab, 0xff};
  CHECK(hex_encode(bytes, sizeof bytes) == "007fabff");
  CHECK(hex_decode("007fABff") == std::vector<unsigned char>{0x00, 0x7f, 0xab, 0xff});
  CHECK(hex_decode("") == std::vector<unsigned char>{});
}

TEST_CASE("hex: rejects odd lengths and non-hex characters") {
  CHECK_FALSE(hex_decode("abc").has_value());
  CHECK_FALSE(hex_decode("zz").has_value());
  CHECK_FALSE(hex_decode("0x").has_value());
  CHECK_FALSE(hex_decode("a ").has_value());
}
