#include "engine/shard.h"

#include <catch2/catch.hpp>

#include <map>
#include <string>

namespace isrgen {

TEST_CASE("a shard is I/N with 1 <= I <= N <= 256", "[shard]") {
  CHECK(parse_shard("2/4", "--shard").value() == Shard{2, 4});
  CHECK(parse_shard("1/1", "--shard").value() == Shard{1, 1});
  CHECK(parse_shard("256/256", "--shard").value() == Shard{256, 256});
  CHECK_FALSE(parse_shard("", "--shard").value().sharded());
  for (const char* bad : {"0/4", "5/4", "1/257", "1/0", "4", "a/4", "2/4x", "-1/4", "1//4", "/4", "2/"}) {
    auto shard = parse_shard(bad, "--shard");
    REQUIRE_FALSE(shard.ok());
    CHECK(shard.error().to_string().find("--shard") != std::string::npos);
  }
  CHECK(shard_text(Shard{3, 8}) == "3/8");
  CHECK(shard_text(Shard{}).empty());
}

TEST_CASE("every page belongs to exactly one shard, and the split is even enough", "[shard]") {
  std::map<int, int> per_shard;
  for (int page = 0; page < 400; ++page) {
    const std::string name = "acme/page-" + std::to_string(page);
    int owners = 0;
    for (int index = 1; index <= 4; ++index)
      if (shard_owns(Shard{index, 4}, name)) {
        ++owners;
        ++per_shard[index];
      }
    CHECK(owners == 1);
    CHECK(shard_owns(Shard{}, name));
  }
  for (int index = 1; index <= 4; ++index) CHECK(per_shard[index] > 50);
}

}  // namespace isrgen
