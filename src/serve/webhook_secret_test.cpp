#include "serve/webhook_secret.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using namespace isrgen::serve;

using isrgen::testing::fake_environment;

TEST_CASE("webhook secret: ISRGEN_WEBHOOK_SECRET, or the variable config names") {
  auto env = fake_environment({{"ISRGEN_WEBHOOK_SECRET", "default-secret"}, {"CMS_HOOK_KEY", "named-secret"}});
  CHECK(webhook_secret(env).value() == "default-secret");
  CHECK(webhook_secret(env, "CMS_HOOK_KEY").value() == "named-secret");
}

TEST_CASE("webhook secret: unset or empty is an error naming the variable") {
  auto unset = webhook_secret(fake_environment({}));
  REQUIRE_FALSE(unset.ok());
  CHECK(unset.error().message.find("ISRGEN_WEBHOOK_SECRET") != std::string::npos);
  // A configured name is used as it is, with no fallback to the default variable.
  auto named = webhook_secret(fake_environment({{"ISRGEN_WEBHOOK_SECRET", "x"}}), "CMS_HOOK_KEY");
  REQUIRE_FALSE(named.ok());
  CHECK(named.error().message.find("CMS_HOOK_KEY") != std::string::npos);
  auto empty = webhook_secret(fake_environment({{"ISRGEN_WEBHOOK_SECRET", ""}}));
  CHECK_FALSE(empty.ok());
}

TEST_CASE("webhook secret: a whsec_ secret must be base64 after its prefix") {
  auto env = fake_environment({{"ISRGEN_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
                               {"CMS_HOOK_KEY", "whsec_MfKQ9r8GKYqr TwjUPD8I"}});
  CHECK(webhook_secret(env).value() == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  auto broken = webhook_secret(env, "CMS_HOOK_KEY");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().message.find("CMS_HOOK_KEY starts with whsec_ but the rest is not base64") !=
        std::string::npos);
  CHECK(broken.error().message.find("MfKQ") == std::string::npos);
}
