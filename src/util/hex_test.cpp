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

TEST_CASE("percent_decode: escapes of either case decoded; a cut or foreign escape and %00 refused") {
  CHECK(percent_decode("/acme/summer%20casting/") == "/acme/summer casting/");
  CHECK(percent_decode("/caf%C3%A9/%2f%2F") == "/caf\xC3\xA9///");
  CHECK(percent_decode("plain") == "plain");
  CHECK(percent_decode("") == "");
  for (const char* bad : {"%", "%2", "a%2", "%zz", "%0g", "/x%00y"}) {
    INFO(bad);
    CHECK_FALSE(percent_decode(bad).has_value());
  }
}
