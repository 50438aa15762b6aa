#include "publish/deploy_config.h"

#include <catch2/catch.hpp>

#include <map>

#include "test_support.h"

using namespace isrgen::publish;

namespace {

isrgen::Result<DeployConfig> parse(const std::string& text) {
  return parse_deploy_config(text, "content/site.toml", isrgen::testing::fake_environment({{"PURGE_SECRET", "hush"}}));
}

}  // namespace

TEST_CASE("deploy config: target, limits, rules in order, purge with ${VAR}") {
  auto config = parse(R"(
[site]
title = "x"
[deploy]
target = "s3://bucket/site"
max_deletes = 10
cache_control = "public, max-age=60"
[[deploy.rules]]
match = "**/*.html"
cache_control = "public, max-age=300, stale-while-revalidate=3600"
gzip = true
[[deploy.rules]]
match = "**/assets/**"
cache_control = "public, max-age=31536000, immutable"
[[deploy.rules]]
match = "**/*"
content_type = "text/plain"
[[deploy.rules]]
match = "private/**"
sync = false
[deploy.purge]
provider = "webhook"
url = "https://hooks.example/purge"
secret = "${PURGE_SECRET}"
)");
  REQUIRE(config.ok());
  const DeployConfig& c = config.value();
  CHECK(c.target == "s3://bucket/site");
  CHECK(c.max_deletes == 10);
  CHECK(c.rules.size() == 4);
  CHECK(c.purge.secret == "hush");

  ObjectRules html = rules_for(c, "acme/index.html");
  CHECK(html.cache_control == "public, max-age=300, stale-while-revalidate=3600");
  CHECK(html.gzip);
  CHECK(html.content_type == "text/plain");  // from the first rule that sets it
  ObjectRules asset = rules_for(c, "acme/assets/app.js");
  CHECK(asset.cache_control == "public, max-age=31536000, immutable");
  CHECK_FALSE(asset.gzip);
  CHECK_FALSE(rules_for(c, "acme/index.metadata.json").sync);
  CHECK_FALSE(rules_for(c, "private/x.html").sync);
  CHECK(rules_for(DeployConfig{}, "a/b.png").content_type == "image/png");
  CHECK(rules_for(DeployConfig{}, "a/b.unknown").cache_control.empty());
}

TEST_CASE("deploy config: no [deploy] table is all defaults") {
  auto config = parse("[site]\ntitle = \"x\"\n");
  REQUIRE(config.ok());
  CHECK(config.value().max_deletes == 256);
  CHECK(config.value().purge.provider.empty());
}

TEST_CASE("deploy config: mistakes name the line and the way out") {
  auto unknown = parse("[deploy]\ntarget = \"s3://b\"\nmax_delete = 3\n");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().to_string() == "content/site.toml:3: unknown setting 'deploy.max_delete'");

  auto no_match = parse("[deploy]\n[[deploy.rules]]\ngzip = true\n");
  REQUIRE_FALSE(no_match.ok());
  CHECK(no_match.error().line == 2);  // where the rule begins
  CHECK(no_match.error().message.find("needs 'match'") != std::string::npos);

  auto unset = parse("[deploy.purge]\nprovider = \"webhook\"\nurl = \"http://x\"\nsecret = \"${NOPE}\"\n");
  REQUIRE_FALSE(unset.ok());
  CHECK(unset.error().message.starts_with("environment variable NOPE is not set"));

  auto provider = parse("[deploy.purge]\nprovider = \"akamai\"\n");
  REQUIRE_FALSE(provider.ok());
  CHECK(provider.error().message.find("webhook, cloudfront, fastly, cloudflare") != std::string::npos);

  auto incomplete = parse("[deploy.purge]\nprovider = \"fastly\"\nservice_id = \"x\"\n");
  REQUIRE_FALSE(incomplete.ok());
  CHECK(incomplete.error().message == "purge provider 'fastly' needs 'token'");
}

TEST_CASE("deploy config: purge endpoint, soft and batch_size within the provider's limit, and warm settings") {
  auto config = parse(R"(
[deploy.purge]
provider = "cloudflare"
zone_id = "z"
token = "t"
endpoint = "http://127.0.0.1:9/client/v4"
batch_size = 500
soft = false
[deploy.warm]
enabled = true
concurrency = 2
budget_ms = 5000
)");
  REQUIRE(config.ok());
  CHECK(config.value().purge.endpoint == "http://127.0.0.1:9/client/v4");
  CHECK(config.value().purge.batch_size == 500);
  CHECK_FALSE(config.value().purge.soft);
  CHECK(config.value().warm.enabled);
  CHECK(config.value().warm.concurrency == 2);
  CHECK(config.value().warm.budget_ms == 5000);

  auto defaults = parse("[deploy]\n");
  REQUIRE(defaults.ok());
  CHECK(defaults.value().purge.soft);
  CHECK(defaults.value().purge.batch_size == 0);
  CHECK_FALSE(defaults.value().warm.enabled);
  CHECK(defaults.value().warm.concurrency == 4);
  CHECK(defaults.value().warm.budget_ms == 30000);

  auto over = parse("[deploy.purge]\nprovider = \"fastly\"\nservice_id = \"s\"\ntoken = \"t\"\nbatch_size = 257\n");
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().message == "'batch_size' 257 is over what fastly takes in one request (256)");
  auto webhook = parse("[deploy.purge]\nprovider = \"webhook\"\nurl = \"u\"\nsecret = \"s\"\nbatch_size = 5\n");
  REQUIRE_FALSE(webhook.ok());
  CHECK(webhook.error().message == "'batch_size' applies to the fastly and cloudflare providers only");
  auto soft = parse("[deploy.purge]\nsoft = \"yes\"\n");
  REQUIRE_FALSE(soft.ok());
  CHECK(soft.error().message == "'soft' must be true or false");
  auto warm = parse("[deploy.warm]\nconcurrency = 0\n");
  REQUIRE_FALSE(warm.ok());
  CHECK(warm.error().to_string() == "content/site.toml:1: 'concurrency' must be 1 or more");
  auto unknown = parse("[deploy.warm]\nbudget = \"30s\"\n");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "unknown warm setting 'budget' (enabled, concurrency, budget_ms)");
}
