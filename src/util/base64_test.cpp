#include "util/base64.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;

namespace {

std::string encode(std::string_view text) {
  return testing::base64_of(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

std::optional<std::string> decode(std::string_view text) {
  auto bytes = base64_decode(text);
  if (!bytes) return std::nullopt;
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace

TEST_CASE("base64: RFC 4648's test vectors both ways") {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(encode(plain) == encoded);
    CHECK(decode(encoded) == plain);
  }
  const unsigned char high[] = {0xfb, 0xff, 0xbf};
  CHECK(testing::base64_of(high, sizeof high) == "+/+/");
  CHECK(base64_decode("+/+/") == std::vector<unsigned char>{0xfb, 0xff, 0xbf});
}

TEST_CASE("base64: refuses what is not padded base64") {
  for (const char* text : {"Zg", "Zg=", "Zm9", "Z===", "====", "Zg==Zg==", "Zm9v!A==", "Zm 9v", "Zm9v\n",
                           "Zh==",   // unused bits set: would decode like Zg==
                           "Zm9=",   // likewise for one '='
                           "-_-_"})  // the URL-safe alphabet is another encoding
  {
    INFO(text);
    CHECK_FALSE(base64_decode(text).has_value());
  }
}

TEST_CASE("base64: encodes with padding, and decodes back") {
  CHECK(isrgen::base64_encode("") == "");
  CHECK(isrgen::base64_encode("f") == "Zg==");
  CHECK(isrgen::base64_encode("fo") == "Zm8=");
  CHECK(isrgen::base64_encode("foo") == "Zm9v");
  CHECK(isrgen::base64_encode(std::string("\xff\x00\xfe", 3)) == "/wD+");
  auto back = isrgen::base64_decode(isrgen::base64_encode("any carnal pleas"));
  REQUIRE(back);
  CHECK(std::string(back->begin(), back->end()) == "any carnal pleas");
}
