#include "publish/zstd_codec.h"

#include <catch2/catch.hpp>

#include "publish/test_bytes.h"

using namespace isrgen;
using namespace isrgen::publish;

using isrgen::publish::testing::mixed_bytes;

TEST_CASE("zstd: what is compressed comes back whole, on one thread or several") {
  for (size_t size : {size_t{0}, size_t{1}, size_t{65536}, size_t{3} << 20, size_t{9} << 20}) {
    INFO(size);
    const std::string bytes = mixed_bytes(size);
    const std::string compressed = zstd_compress(bytes, 3, 2);
    CHECK(compressed.substr(0, 4) == "\x28\xb5\x2f\xfd");
    auto back = zstd_decompress(compressed, bytes.size(), "state.zst");
    REQUIRE(back.ok());
    CHECK(back.value() == bytes);
    auto single = zstd_decompress(zstd_compress(bytes, 3, 1), bytes.size(), "state.zst");
    REQUIRE(single.ok());
    CHECK(single.value() == bytes);
  }
}

TEST_CASE("zstd: frames one after another come back as one") {
  const std::string first = mixed_bytes(100'000), second = mixed_bytes(70'000);
  auto back = zstd_decompress(zstd_compress(first, 3, 1) + zstd_compress(second, 1, 1), 1 << 20, "state.zst");
  REQUIRE(back.ok());
  CHECK(back.value() == first + second);
}

TEST_CASE("zstd: an expansion past the limit is refused") {
  const std::string bytes(1 << 20, 'x');
  auto bomb = zstd_decompress(zstd_compress(bytes, 3, 1), 1000, "state.zst");
  REQUIRE_FALSE(bomb.ok());
  CHECK(bomb.error().to_string() == "state.zst: expands to more than 1000 bytes: refused");
  // Two frames, each within the limit, past it together.
  const std::string half(600, 'y');
  auto two = zstd_decompress(zstd_compress(half, 3, 1) + zstd_compress(half, 3, 1), 1000, "state.zst");
  REQUIRE_FALSE(two.ok());
  CHECK(two.error().message == "expands to more than 1000 bytes: refused");
}

TEST_CASE("zstd: bytes that are not whole zstd data are refused") {
  const std::string compressed = zstd_compress(mixed_bytes(200'000), 3, 1);
  for (const std::string& broken : {std::string(), compressed.substr(0, compressed.size() / 2),
                                    std::string("not zstd at all"), compressed + "trailing"}) {
    auto back = zstd_decompress(broken, 1 << 20, "state.zst");
    REQUIRE_FALSE(back.ok());
    CHECK(back.error().message == "is not whole zstd data");
  }
}
