#include "publish/page_metadata.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using namespace isrgen::publish;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

TEST_CASE("page metadata: tags and the cache profile, none from metadata older than profiles", "[cache]") {
  ScratchDir dir;
  const auto path = dir.path() / "acme/summer/index.metadata.json";
  write_text(path, R"({"page": "acme/summer", "cache": {"profile": "minutes", "stale": 300, "revalidate": 60,
                       "expire": 3600}, "tags": ["page:acme/summer", "lang:en"]})");
  auto read = read_page_metadata(path);
  REQUIRE(read.ok());
  CHECK(read.value().tags == std::vector<std::string>{"page:acme/summer", "lang:en"});
  REQUIRE(read.value().cache);
  CHECK(read.value().cache->name == "minutes");
  CHECK(read.value().cache->revalidate_seconds == 60);

  write_text(path, R"({"page": "acme/summer", "tags": ["page:acme/summer"]})");
  REQUIRE(read_page_metadata(path).ok());
  CHECK_FALSE(read_page_metadata(path).value().cache);
}

TEST_CASE("page metadata: what isrgen did not write is refused", "[cache]") {
  ScratchDir dir;
  const auto path = dir.path() / "acme/index.metadata.json";
  write_text(path, R"({"page": "acme/index"})");
  CHECK(read_page_metadata(path).error().message.find("no \"tags\" list") != std::string::npos);
  write_text(path, R"({"tags": [], "x": )" + std::string(100'000, '[') + std::string(100'000, ']') + "}");
  CHECK(read_page_metadata(path).error().message.find("nests too deep") != std::string::npos);
  write_text(dir.path() / "secret.json", R"({"tags": ["leaked"]})");
  std::filesystem::remove(path);
  std::filesystem::create_symlink(dir.path() / "secret.json", path);
  CHECK_FALSE(read_page_metadata(path).ok());  // a link out of the page's folder
}
