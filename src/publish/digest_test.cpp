// The publisher's digests against their published known answers: SHA-256 from
// the FIPS 180-4 examples, MD5 from the RFC 1321 test suite. A streamed file
// digest must give the same answers as the one-shot functions.
#include "publish/digest.h"

#include <string>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen::publish;
using namespace isrgen::testing;

namespace {

const std::string kFips448Bits = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

}  // namespace

TEST_CASE("digest: SHA-256 of the FIPS 180-4 examples") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(kFips448Bits) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("digest: MD5 of the RFC 1321 test suite") {
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("a") == "0cc175b9c0f1b6a831c399e269772661");
  CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(md5_hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(md5_hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        "d174ab98d277d9f5a5611c2c9f419d9f");
  CHECK(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
        "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("digest: a file streamed gives the known answers of its bytes") {
  ScratchDir dir;
  write_text(dir / "fips.txt", kFips448Bits);
  auto digest = digest_file(dir / "fips.txt");
  REQUIRE(digest.ok());
  CHECK(digest.value().size == 56);
  CHECK(digest.value().sha256 == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // No published MD5 of this message: computed with python3's hashlib.md5.
  CHECK(digest.value().md5 == "8215ef0796a20bcaaae116d3876c664a");
  auto md5_only = digest_file(dir / "fips.txt", /*with_sha256=*/false);
  REQUIRE(md5_only.ok());
  CHECK(md5_only.value().md5 == digest.value().md5);
  CHECK(md5_only.value().sha256.empty());
}
