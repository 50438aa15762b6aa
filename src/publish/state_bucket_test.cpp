#include "publish/state_bucket.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen::publish;
using isrgen::testing::ScratchDir;

TEST_CASE("folder state bucket: reads back what it stored, and writes only when the condition holds") {
  ScratchDir dir;
  auto bucket = make_folder_state_bucket(dir / "state");
  auto missing = bucket->get("lock.json");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing.value());

  auto created = bucket->put("lock.json", "first", {PutCondition::kIfAbsent, ""});
  REQUIRE(created.ok());
  REQUIRE(created.value());
  auto again = bucket->put("lock.json", "second", {PutCondition::kIfAbsent, ""});
  REQUIRE(again.ok());
  CHECK_FALSE(again.value());  // there is one already

  auto stale = bucket->put("lock.json", "third", {PutCondition::kIfMatch, "not-its-etag"});
  REQUIRE(stale.ok());
  CHECK_FALSE(stale.value());
  auto matched = bucket->put("lock.json", "fourth", {PutCondition::kIfMatch, *created.value()});
  REQUIRE(matched.ok());
  REQUIRE(matched.value());
  CHECK(*matched.value() != *created.value());

  auto read = bucket->get("lock.json");
  REQUIRE(read.ok());
  REQUIRE(read.value());
  CHECK(read.value()->bytes == "fourth");
  CHECK(read.value()->etag == *matched.value());

  auto gone_match = bucket->put("objects/x.gz", "y", {PutCondition::kIfMatch, *matched.value()});
  REQUIRE(gone_match.ok());
  CHECK_FALSE(gone_match.value());  // If-Match on no object fails, as on S3
  REQUIRE(bucket->remove("lock.json").ok());
  REQUIRE(bucket->remove("lock.json").ok());  // twice is no error
  CHECK_FALSE(bucket->get("lock.json").value());
}

TEST_CASE("state URLs: s3:// needs a bucket, other schemes are refused, a folder is a folder") {
  auto env = isrgen::testing::fake_environment({{"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"}});
  CHECK_FALSE(open_state_bucket("s3:///prefix", env, {}).ok());
  auto ftp = open_state_bucket("ftp://host/state", env, {});
  REQUIRE_FALSE(ftp.ok());
  CHECK(ftp.error().message.find("unsupported URL 'ftp://host/state'") != std::string::npos);
  auto s3 = open_state_bucket("s3://ci-state/sites/promo/", env, {});
  REQUIRE(s3.ok());
  CHECK(s3.value()->describe() == "s3://ci-state/sites/promo/");
  ScratchDir dir;
  auto folder = open_state_bucket("file://" + (dir / "state").string(), env, {});
  REQUIRE(folder.ok());
  CHECK(folder.value()->describe() == "file://" + (dir / "state").string());
}
