#include "util/hmac.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("hmac: known answers") {
  CHECK(hmac_sha256_hex("key", "The quick brown fox jumps over the lazy dog") ==
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  // GitHub's documented webhook example.
  CHECK(hmac_sha256_hex("It's a Secret to Everybody", "Hello, World!") ==
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

TEST_CASE("hmac: digest and string comparisons") {
  CHECK(digests_equal(hmac_sha256("k", "m"), hmac_sha256("k", "m")));
  CHECK_FALSE(digests_equal(hmac_sha256("k", "m"), hmac_sha256("k", "n")));
  CHECK(strings_equal_constant_time("token", "token"));
  CHECK(strings_equal_constant_time("", ""));
  CHECK_FALSE(strings_equal_constant_time("token", "tokem"));
  CHECK_FALSE(strings_equal_constant_time("token", "token2"));
  CHECK_FALSE(strings_equal_constant_time("", "token"));
}
