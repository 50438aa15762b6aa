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

TEST_CASE("serve config: [[serve.map]] rules", "[serve][config]") {
  auto config = parse_serve_config(R"([serve]
listen = "127.0.0.1:9000"

[[serve.map]]
when = { "sys.contentType.sys.id" = "model", sys.type = "Entry" }
tags = ["models:{sys.id}", "source:models"]

[[serve.map]]
when = { "entry.id" = 7, published = true }
tags = ["articles:{entry.slug}"]
)",
                                   "content/site.toml");
  REQUIRE(config.ok());
  const std::vector<MapRule>& map = config.value().map;
  REQUIRE(map.size() == 2);
  CHECK(map[0].origin == "content/site.toml:4");
  REQUIRE(map[0].when.size() == 2);
  // A quoted dotted key and TOML's own dotted key name the same kind of path
  // (TOML tables keep their keys sorted).
  CHECK(map[0].when[0].field.text == "sys.type");
  CHECK(map[0].when[0].value == "Entry");
  CHECK(map[0].when[1].field.segments == std::vector<std::string>{"sys", "contentType", "sys", "id"});
  CHECK(map[0].when[1].value == "model");
  REQUIRE(map[0].tags.size() == 2);
  CHECK(map[0].tags[0].text == "models:{sys.id}");
  CHECK(map[1].origin == "content/site.toml:8");
  CHECK(map[1].when[0].value == 7);
  CHECK(map[1].when[1].value == true);
  CHECK(parse_serve_config("[serve]\n", "content/site.toml").value().map.empty());
}

TEST_CASE("serve config: bad [[serve.map]] rules name their line and the way out", "[serve][config]") {
  auto error_of = [](const std::string& toml) {
    auto config = parse_serve_config(toml, "content/site.toml");
    REQUIRE_FALSE(config.ok());
    return config.error().to_string();
  };
  CHECK(error_of("[serve]\nmap = \"models\"\n") ==
        "content/site.toml:2: 'serve.map' is a list of rules, each under its own [[serve.map]] header with "
        "tags = [\"...\"] and an optional when = { ... }");
  CHECK(error_of("[[serve.map]]\ntags = [\"models:{sys.id}\"]\npaths = [\"/x\"]\n") ==
        "content/site.toml:3: unknown key 'paths' in a [[serve.map]] rule (known: when, tags)");
  CHECK(error_of("[[serve.map]]\nwhen = { _type = \"post\" }\n") ==
        "content/site.toml:1: a [[serve.map]] rule needs tags = [\"...\"], one template or more, e.g. "
        "[\"models:{sys.id}\"]");
  CHECK(error_of("[[serve.map]]\ntags = []\n") ==
        "content/site.toml:2: 'tags' is a list of one tag template or more, e.g. tags = [\"models:{sys.id}\"]");
  CHECK(error_of("[[serve.map]]\ntags = \"models:{sys.id}\"\n") ==
        "content/site.toml:2: 'tags' is a list of one tag template or more, e.g. tags = [\"models:{sys.id}\"]");
  CHECK(error_of("[[serve.map]]\ntags = [\"a:{x}\",\n  3]\n") ==
        "content/site.toml:3: 'tags' holds strings, e.g. tags = [\"models:{sys.id}\"]");
  CHECK(error_of("[[serve.map]]\ntags = [\"models:{}\"]\n") ==
        "content/site.toml:2: tag template \"models:{}\" has a '{}' that names no field: write the field's "
        "dotted path, e.g. {sys.id}");
  CHECK(error_of("[[serve.map]]\ntags = [\"models:{sys.id\"]\n") ==
        "content/site.toml:2: tag template \"models:{sys.id\" has a '{' without a '}' after it");
  CHECK(error_of("[serve]\n\n[[serve.map]]\ntags = [\"everything\"]\n") ==
        "content/site.toml:3: this [[serve.map]] rule names no field of the body, so it would map every webhook: "
        "put a {field} in a tag, e.g. \"models:{sys.id}\", or add when = { \"sys.type\" = \"Entry\" }");
  CHECK(error_of("[[serve.map]]\nwhen = \"Entry\"\ntags = [\"models:{sys.id}\"]\n") ==
        "content/site.toml:2: 'when' is a table of fields and the values they must equal, e.g. "
        "when = { \"sys.type\" = \"Entry\" }");
  CHECK(error_of("[[serve.map]]\nwhen = { \"sys.type\" = [\"Entry\"] }\ntags = [\"models:{sys.id}\"]\n") ==
        "content/site.toml:2: 'when' field 'sys.type' must equal a string, a whole number or true/false");
  CHECK(error_of("[[serve.map]]\nwhen = { \"sys..type\" = \"Entry\" }\ntags = [\"models:{sys.id}\"]\n") ==
        "content/site.toml:2: 'when': field path 'sys..type' has an empty name: separate names with one '.', "
        "e.g. \"sys.contentType.sys.id\"");
}
