#include "publish/gzip.h"

#include <catch2/catch.hpp>

#include "publish/test_bytes.h"

using namespace isrgen;
using namespace isrgen::publish;

using isrgen::publish::testing::mixed_bytes;

TEST_CASE("gzip: what is compressed comes back whole, over many of zlib's output chunks") {
  for (size_t size : {size_t{0}, size_t{1}, size_t{65536}, size_t{3} << 20}) {
    INFO(size);
    const std::string bytes = mixed_bytes(size);
    const std::string compressed = gzip_compress(bytes, 1);
    CHECK(compressed.substr(0, 2) == "\x1f\x8b");
    auto back = gzip_decompress(compressed, bytes.size(), "test.gz");
    REQUIRE(back.ok());
    CHECK(back.value() == bytes);
    CHECK(gzip_compress(bytes, 1) == compressed);  // deterministic: the same upload, the same ETag
  }
}

TEST_CASE("gzip: an expansion past the limit and bytes that are not whole gzip are refused") {
  const std::string compressed = gzip_compress(std::string(1 << 20, 'x'));
  auto bomb = gzip_decompress(compressed, 1000, "state.gz");
  REQUIRE_FALSE(bomb.ok());
  CHECK(bomb.error().to_string() == "state.gz: expands to more than 1000 bytes: refused");
  auto cut = gzip_decompress(compressed.substr(0, compressed.size() / 2), 1 << 20, "state.gz");
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.error().message == "is not whole gzip data");
}
