#include "publish/cache_tags.h"

#include <catch2/catch.hpp>

using namespace isrgen::publish;

TEST_CASE("cache tags: the page's own first, long or odd tags hashed, capped at 50") {
  std::vector<std::string> tags = {"component:HERO", "lang:en", "models:city=New York", "page:acme/summer",
                                   "tenant:acme", std::string(300, 'x')};
  auto carried = cdn_tags_for_page(tags);
  REQUIRE(carried.size() == 6);
  CHECK(carried[0] == "page:acme/summer");
  CHECK(carried[1] == "lang:en");
  CHECK(carried[2] == "tenant:acme");
  CHECK(carried[3] == "component:HERO");
  CHECK(carried[4] == cdn_tag("models:city=New York"));
  CHECK(carried[4].starts_with("h-"));
  CHECK(carried[4].size() == 34);
  CHECK(carried[5] != carried[4]);
  CHECK(cdn_tag("models:m-1") == "models:m-1");

  std::vector<std::string> many;
  for (int i = 0; i < 80; ++i) many.push_back("models:m-" + std::to_string(i));
  many.push_back("page:acme/all");
  auto capped = cdn_tags_for_page(many);
  CHECK(capped.size() == kMaxCacheTagsPerObject);
  CHECK(capped[0] == "page:acme/all");

  std::vector<std::string> long_ones;
  for (int i = 0; i < 40; ++i) long_ones.push_back(std::string(200, 'a' + i % 26) + std::to_string(i));
  size_t bytes = 0;
  for (const auto& tag : cdn_tags_for_page(long_ones)) bytes += tag.size() + 1;
  CHECK(bytes <= kMaxCacheTagBytes);
}
