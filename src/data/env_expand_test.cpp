#include "data/env_expand.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen::data;

using isrgen::testing::fake_environment;

TEST_CASE("expand_env replaces ${NAME} references from the environment") {
  auto env = fake_environment({{"JOBS_TOKEN", "s3cr3t"}, {"REGION", "eu"}, {"EMPTY", ""}});
  CHECK(expand_env("Bearer ${JOBS_TOKEN}", env).value() == "Bearer s3cr3t");
  CHECK(expand_env("${REGION}-${REGION}${EMPTY}", env).value() == "eu-eu");
  CHECK(expand_env("cost: $5, ${not a name}, ${1X}, $REGION, ${", env).value() ==
        "cost: $5, ${not a name}, ${1X}, $REGION, ${");
  CHECK(expand_env("$${JOBS_TOKEN}", env).value() == "${JOBS_TOKEN}");
}

TEST_CASE("expand_env names an unset variable without showing any value") {
  auto expanded = expand_env("Bearer ${JOBS_TOKEN} ${MISSING}", fake_environment({{"JOBS_TOKEN", "s3cr3t"}}));
  REQUIRE_FALSE(expanded.ok());
  CHECK(expanded.error().message.find("MISSING is not set") != std::string::npos);
  CHECK(expanded.error().message.find("s3cr3t") == std::string::npos);
}
