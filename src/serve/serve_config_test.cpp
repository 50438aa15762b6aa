#include "serve/serve_config.h"

#include <catch2/catch.hpp>

using namespace isrgen::serve;

TEST_CASE("serve config: defaults without a [serve] table", "[serve][config]") {
  auto config = parse_serve_config("[site]\ntitle = \"x\"\n", "content/site.toml");
  REQUIRE(config.ok());
  CHECK(config.value().listen == "127.0.0.1:8080");
  CHECK(config.value().secret_env.empty());
  CHECK_FALSE(config.value().sync);
  CHECK(config.value().max_queued == 10'000);
}

TEST_CASE("serve config: every setting is read", "[serve][config]") {
  auto config = parse_serve_config(R"([serve]
listen = "0.0.0.0:9000"
secret_env = "CMS_SECRET"
sync = true
max_queued = 50
signature_tolerance = 60
max_connections = 10
read_timeout_ms = 500
idle_timeout_ms = 900
threads = 4
)",
                                   "content/site.toml");
  REQUIRE(config.ok());
  const ServeConfig& c = config.value();
  CHECK(c.listen == "0.0.0.0:9000");
  CHECK(c.secret_env == "CMS_SECRET");
  CHECK(c.sync);
  CHECK(c.max_queued == 50);
  CHECK(c.signature_tolerance_s == 60);
  CHECK(c.max_connections == 10);
  CHECK(c.read_timeout_ms == 500);
  CHECK(c.idle_timeout_ms == 900);
  CHECK(c.threads == 4);
}

TEST_CASE("serve config: bad values name the line and what is valid", "[serve][config]") {
  auto unknown = parse_serve_config("[serve]\nlisten = \"x:1\"\nport = 3\n", "content/site.toml");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().to_string().starts_with("content/site.toml:3:"));
  CHECK(unknown.error().message.find("unknown setting 'serve.port'") != std::string::npos);

  auto zero = parse_serve_config("[serve]\nmax_queued = 0\n", "content/site.toml");
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.error().line == 2);
  CHECK(zero.error().message.find("1 or more") != std::string::npos);

  auto not_bool = parse_serve_config("[serve]\nsync = \"yes\"\n", "content/site.toml");
  REQUIRE_FALSE(not_bool.ok());
  CHECK(not_bool.error().message.find("true or false") != std::string::npos);
}

TEST_CASE("serve config: secret_env takes a variable name, never a secret", "[serve][config]") {
  auto secret = parse_serve_config("[serve]\nsecret_env = \"s3cr3t value!\"\n", "content/site.toml");
  REQUIRE_FALSE(secret.ok());
  CHECK(secret.error().line == 2);
  CHECK(secret.error().message.find("s3cr3t") == std::string::npos);
  CHECK(secret.error().message.find("environment variable") != std::string::npos);
}
