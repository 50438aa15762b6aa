#include "publish/cache_tags.h"

#include <catch2/catch.hpp>

using namespace isrgen::publish;

// Known answers computed apart from isrgen, with python3:
//   "h-" + hashlib.sha256(tag.encode()).hexdigest()[:32]
// so a change of the hash (which would orphan every tag CDNs hold) fails here.
TEST_CASE("cache tags: a tag a CDN cannot carry becomes h- and 32 hex digits of its SHA-256") {
  CHECK(cdn_tag("models:city=New York") == "h-5f9a0c91f7581a63818875d28128526b");  // a space
  CHECK(cdn_tag("models:name=Ada,Bea") == "h-7d51a66dbdcec34761a19ec4e86c0080");   // a comma
  CHECK(cdn_tag(std::string(300, 'x')) == "h-0d4e2ca9e9cbced7a7a5380eb29e1a37");   // over 256 bytes
  CHECK(cdn_tag(std::string(256, 'x')) == std::string(256, 'x'));                 // at the limit: itself
}

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
