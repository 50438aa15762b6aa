#include "publish/state_setting.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen::publish;
using namespace isrgen::testing;

TEST_CASE("state setting: the flag, then ISRGEN_STATE, then [state] url, relative to the site") {
  ScratchDir site;
  write_text(site / "content/site.toml", "[site]\ndefault_language = \"en\"\n\n[state]\nurl = \"ci-state\"\n");
  auto none = fake_environment({});
  auto from_env = fake_environment({{"ISRGEN_STATE", "s3://from-env/p"}});

  auto flag = state_setting("s3://from-flag/p", from_env, site.path());
  REQUIRE(flag.ok());
  CHECK(flag.value().url == "s3://from-flag/p");
  CHECK(flag.value().relative_to.empty());
  auto env = state_setting("", from_env, site.path());
  REQUIRE(env.ok());
  CHECK(env.value().url == "s3://from-env/p");
  auto file = state_setting("", none, site.path());
  REQUIRE(file.ok());
  CHECK(file.value().url == "ci-state");
  CHECK(file.value().relative_to == site.path());
}

TEST_CASE("state setting: no [state] is no remote state, an unknown setting is an error at its line") {
  auto empty = parse_state_url("[site]\ndefault_language = \"en\"\n", "content/site.toml");
  REQUIRE(empty.ok());
  CHECK(empty.value().empty());
  auto typo = parse_state_url("[state]\nurl = \"s3://b/p\"\nwait = 3\n", "content/site.toml");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().to_string() == "content/site.toml:3: unknown setting 'wait' in [state] (known: url)");
  auto number = parse_state_url("[state]\nurl = 3\n", "content/site.toml");
  REQUIRE_FALSE(number.ok());
  CHECK(number.error().line == 2);
}
