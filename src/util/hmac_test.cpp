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

// RFC 4231 section 4, test cases 1-4, 6 and 7 (case 5 checks a truncated
// output, which isrgen never uses): short and long keys, keys longer than the
// block (hashed first), binary keys and data.
TEST_CASE("hmac: RFC 4231 test cases") {
  std::string long_key(131, '\xaa');
  CHECK(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hmac_sha256_hex(std::string(20, '\xaa'), std::string(50, '\xdd')) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  std::string counting_key;
  for (char byte = 0x01; byte <= 0x19; ++byte) counting_key += byte;
  CHECK(hmac_sha256_hex(counting_key, std::string(50, '\xcd')) ==
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  CHECK(hmac_sha256_hex(long_key, "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(hmac_sha256_hex(long_key,
                        "This is a test using a larger than block-size key and a larger than block-size data. "
                        "The key needs to be hashed before being used by the HMAC algorithm.") ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
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
