#include "serve/revalidate_request.h"

#include <catch2/catch.hpp>

#include "serve/serve_config.h"

using namespace isrgen;
using namespace isrgen::serve;

namespace {

SiteConfig site() {
  auto config = parse_site_config("[tenants.acme]\nbase_url = \"https://acme.example\"\n", "content/site.toml");
  REQUIRE(config.ok());
  return config.value();
}

std::string refusal(const std::string& body, size_t max_entries = kDefaultMaxRevalidateEntries) {
  auto parsed = parse_revalidate_request(body, site(), {}, max_entries);
  return parsed.ok() ? "(accepted)" : parsed.error().message;
}

}  // namespace

TEST_CASE("revalidate request: tags and site paths") {
  auto parsed = parse_revalidate_request(
      R"({"tags": ["models:42", "campaign:summer"], "paths": ["/acme/summer/", "https://acme.example/jobs"]})", site());
  REQUIRE(parsed.ok());
  CHECK(parsed.value().tags == std::vector<std::string>{"models:42", "campaign:summer"});
  CHECK(parsed.value().paths == std::vector<std::string>{"/acme/summer/", "https://acme.example/jobs"});
  CHECK(parse_revalidate_request(R"({"tags": ["source:jobs"]})", site()).ok());
  CHECK(parse_revalidate_request(R"({"paths": ["/acme/"], "tags": []})", site()).ok());
}

TEST_CASE("revalidate request: not JSON, not an object, unknown keys") {
  CHECK(refusal("") == "the body is not JSON");
  CHECK(refusal("{\"tags\": [") == "the body is not JSON");
  CHECK(refusal("tags=a") == "the body is not JSON");
  CHECK(refusal(R"(["models:42"])").starts_with("the body must be a JSON object"));
  CHECK(refusal(R"("models:42")").starts_with("the body must be a JSON object"));
  CHECK(refusal(R"({"tags": ["a"], "path": ["/acme/"]})") ==
        "unknown key 'path': only \"tags\" and \"paths\" (a CMS's own payload needs [[serve.map]] rules in "
        "content/site.toml)");
}

TEST_CASE("revalidate request: a body nested deeper than a request needs is refused unparsed") {
  CHECK(refusal(std::string(60'000, '[') + std::string(60'000, ']')) ==
        "the body nests deeper than 8 levels: send {\"tags\": [...], \"paths\": [...]}");
  CHECK(refusal(R"({"tags": [[[[[[[["a"]]]]]]]]})") ==
        "the body nests deeper than 8 levels: send {\"tags\": [...], \"paths\": [...]}");
}

TEST_CASE("revalidate request: entries must be strings in arrays") {
  CHECK(refusal(R"({"tags": "models:42"})") == "'tags' must be an array of strings");
  CHECK(refusal(R"({"tags": ["a", 42]})") == "tags[1]: must be a string, not number");
  CHECK(refusal(R"({"paths": [null]})") == "paths[0]: must be a string, not null");
  CHECK(refusal(R"({"tags": [["a"]]})") == "tags[0]: must be a string, not array");
}

TEST_CASE("revalidate request: an empty request is refused") {
  CHECK(refusal("{}") == "nothing to revalidate: no tags and no paths");
  CHECK(refusal(R"({"tags": [], "paths": []})") == "nothing to revalidate: no tags and no paths");
}

TEST_CASE("revalidate request: at most max_entries tags and paths together") {
  CHECK(refusal(R"({"tags": ["a", "b"], "paths": ["/acme/"]})", 3) == "(accepted)");
  CHECK(refusal(R"({"tags": ["a", "b"], "paths": ["/acme/", "/acme/x/"]})", 3) ==
        "too many entries: 4 tags and paths, at most 3 per request");
}

TEST_CASE("revalidate request: tags without control characters, at most 256 bytes") {
  CHECK(refusal(R"({"tags": ["a\nb"]})") == "tags[0]: contains a control character");
  CHECK(refusal(R"({"tags": ["ok", "a\u0000b"]})") == "tags[1]: contains a control character");
  CHECK(refusal(R"({"tags": ["a\u007fb"]})") == "tags[0]: contains a control character");
  CHECK(refusal(R"({"tags": [""]})") == "tags[0]: a tag is empty");
  CHECK(refusal(R"({"tags": [")" + std::string(256, 'x') + R"("]})") == "(accepted)");
  CHECK(refusal(R"({"tags": [")" + std::string(257, 'x') + R"("]})") == "tags[0]: longer than 256 bytes");
  CHECK(refusal(R"({"tags": ["modèle:42"]})") == "(accepted)");  // UTF-8 is fine
}

TEST_CASE("revalidate request: paths must be URLs of the site") {
  CHECK(refusal(R"({"paths": ["https://other.example/x/"]})").starts_with("paths[0]: 'https://other.example/x/' is on no tenant"));
  CHECK(refusal(R"({"paths": ["/acme/", "/nobody/x/"]})").starts_with("paths[1]: '/nobody/x/' does not start with a tenant"));
  CHECK(refusal(R"({"paths": ["/acme/\r\nx"]})") == "paths[0]: contains a control character");
}

TEST_CASE("revalidate request: paths that climb out of the site or hide it in escapes are refused") {
  const std::string outside = "' has an empty, '.' or '..' segment: only paths inside the site can be revalidated";
  CHECK(refusal(R"({"paths": ["/acme/../../etc/passwd"]})") == "paths[0]: '/acme/../../etc/passwd" + outside);
  CHECK(refusal(R"({"paths": ["/acme/summer/", "/acme/./x/"]})") == "paths[1]: '/acme/./x/" + outside);
  CHECK(refusal(R"({"paths": ["/acme/.."]})") == "paths[0]: '/acme/.." + outside);
  CHECK(refusal(R"({"paths": ["https://acme.example/../../etc/passwd"]})") ==
        "paths[0]: 'https://acme.example/../../etc/passwd" + outside);
  CHECK(refusal(R"({"paths": ["/acme//x/"]})") == "paths[0]: '/acme//x/" + outside);
  CHECK(refusal(R"({"paths": ["/acme/..\\..\\etc"]})") ==
        "paths[0]: '/acme/..\\..\\etc' contains a backslash: only paths inside the site can be revalidated");
  CHECK(refusal(R"({"paths": ["/acme/x\u0000y/"]})") == "paths[0]: contains a control character");
  for (const char* escaped : {"/acme/%2e%2e/%2E%2E/etc/passwd", "/acme/..%2f..%2fetc", "/acme/..%5C..%5Cetc",
                              "/acme/x%00.html", "/acme/%0d%0aSet-Cookie:%20x", "/acme/%252e%252e/"}) {
    INFO(escaped);
    CHECK(refusal(std::string(R"({"paths": [")") + escaped + "\"]}") ==
          "paths[0]: '" + std::string(escaped) +
              "' has a percent-encoded '.', '/', '\\', '%' or control character: send the path as the page's URL, "
              "unencoded");
  }
  // What stays accepted: dots inside a segment, other escapes, '..' in a query.
  CHECK(refusal(R"({"paths": ["/acme/v1.2/", "/acme/caf%C3%A9/", "/acme/a%20b/", "/acme/?next=../x"]})") ==
        "(accepted)");
  CHECK(refusal(R"({"paths": ["https://acme.example", "https://acme.example/", "/acme"]})") == "(accepted)");
}

namespace {

std::vector<MapRule> entry_rules() {
  auto config = parse_serve_config(R"([[serve.map]]
when = { "sys.type" = "Entry" }
tags = ["models:{sys.id}", "source:models"]
)",
                                   "content/site.toml");
  REQUIRE(config.ok());
  return config.value().map;
}

// An object `depth` levels deep: {"sys": ..., "fields": {"a": {"a": ... {}}}}.
std::string entry_nested(int depth) {
  std::string fields;
  for (int level = 2; level <= depth; ++level) fields += "{\"a\": ";
  fields += "1";
  for (int level = 2; level <= depth; ++level) fields += "}";
  return R"({"sys": {"type": "Entry", "id": "e1"}, "fields": )" + fields + "}";
}

std::string mapped_refusal(const std::string& body, size_t max_entries = kDefaultMaxRevalidateEntries) {
  auto rules = entry_rules();
  auto parsed = parse_revalidate_request(body, site(), rules, max_entries);
  return parsed.ok() ? "(accepted)" : parsed.error().message;
}

}  // namespace

TEST_CASE("revalidate request: a CMS's own payload becomes tags by [serve.map]") {
  auto rules = entry_rules();
  auto parsed = parse_revalidate_request(R"({"sys": {"type": "Entry", "id": "e1"}})", site(), rules);
  REQUIRE(parsed.ok());
  CHECK(parsed.value().tags == std::vector<std::string>{"models:e1", "source:models"});
  CHECK(parsed.value().paths.empty());
  // isrgen's own body keeps its meaning beside the rules.
  auto own = parse_revalidate_request(R"({"tags": ["campaign:summer"], "paths": ["/acme/"]})", site(), rules);
  REQUIRE(own.ok());
  CHECK(own.value().tags == std::vector<std::string>{"campaign:summer"});
  CHECK(mapped_refusal("{}") == "nothing to revalidate: no tags and no paths");
  // A "tags" key beside others is the CMS's field, not isrgen's list.
  CHECK(mapped_refusal(R"({"tags": ["x"], "sys": {"type": "Asset", "id": "a1"}})") ==
        "no [serve.map] rule applies to this body: content/site.toml:1: 'sys.type' is \"Asset\", not \"Entry\"");
  CHECK(mapped_refusal(R"({"sys": {"type": "Entry", "id": "e1"}})", 1) ==
        "too many entries: 2 tags and paths, at most 1 per request");
}

TEST_CASE("revalidate request: a mapped payload may nest 32 levels, isrgen's own 8") {
  // Contentful's rich text nests 14 levels for a list; nested lists go deeper.
  CHECK(refusal(entry_nested(9)) ==
        "the body nests deeper than 8 levels: send {\"tags\": [...], \"paths\": [...]}");
  CHECK(mapped_refusal(entry_nested(9)) == "(accepted)");
  CHECK(mapped_refusal(entry_nested(32)) == "(accepted)");
  CHECK(mapped_refusal(entry_nested(33)) == "the body nests deeper than 32 levels");
  CHECK(mapped_refusal(std::string(60'000, '[') + std::string(60'000, ']')) ==
        "the body nests deeper than 32 levels");
}

TEST_CASE("revalidate request: delivery id from X-GitHub-Delivery or Idempotency-Key") {
  const WebhookScheme github = WebhookScheme::kGitHub;
  CHECK(delivery_id({}, github).value() == std::nullopt);
  CHECK(delivery_id({{"x-github-delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"}}, github).value() ==
        "72d3162e-cc78-11e3-81ab-4c9367dc0958");
  CHECK(delivery_id({{"IDEMPOTENCY-KEY", "cms-991"}}, WebhookScheme::kBearer).value() == "cms-991");
  CHECK(delivery_id({{"Idempotency-Key", "cms-991"}, {"X-GitHub-Delivery", "gh-1"}}, github).value() == "gh-1");
  CHECK_FALSE(delivery_id({{"Idempotency-Key", ""}}, github).ok());
  CHECK_FALSE(delivery_id({{"Idempotency-Key", std::string(257, 'k')}}, github).ok());
  CHECK(delivery_id({{"Idempotency-Key", std::string(256, 'k')}}, github).ok());
  CHECK_FALSE(delivery_id({{"X-GitHub-Delivery", "a\tb"}}, github).ok());
}

TEST_CASE("revalidate request: Standard Webhooks' webhook-id is a delivery id") {
  const WebhookScheme standard = WebhookScheme::kStandardWebhooks;
  CHECK(delivery_id({{"webhook-id", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"}}, standard).value() ==
        "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
  CHECK(delivery_id({{"Webhook-Id", "msg_1"}, {"Idempotency-Key", "cms-991"}}, standard).value() == "msg_1");
  auto empty = delivery_id({{"webhook-id", ""}}, standard);
  REQUIRE_FALSE(empty.ok());
CHECK(empty.error().message == "webhook-id must be 1 to 256 printable bytes");
}
