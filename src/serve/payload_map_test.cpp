// [[serve.map]] rules against the bodies Contentful, Sanity and Strapi send,
// shaped as their documentation shows them.
#include "serve/payload_map.h"

#include <catch2/catch.hpp>

#include "serve/serve_config.h"

using namespace isrgen;
using namespace isrgen::serve;
using nlohmann::json;

namespace {

std::vector<MapRule> rules(const std::string& toml) {
  auto config = parse_serve_config(toml, "content/site.toml");
  if (!config) FAIL(config.error().to_string());
  return config.value().map;
}

std::vector<std::string> tags_of(const std::vector<MapRule>& map, const std::string& body) {
  auto tags = map_payload(json::parse(body), map);
  if (!tags) FAIL(tags.error().message);
  return tags.value();
}

std::string refusal(const std::vector<MapRule>& map, const std::string& body) {
  auto tags = map_payload(json::parse(body), map);
  return tags.ok() ? "(mapped)" : tags.error().message;
}

// ContentManagement.Entry.publish: the entry as the Management API returns it,
// with a rich-text field whose list nests 14 levels deep.
const std::string kContentfulEntry = R"({
  "metadata": {"tags": [{"sys": {"type": "Link", "linkType": "Tag", "id": "nyCampaign"}}]},
  "sys": {
    "type": "Entry", "id": "5KsDBWseXY6QegucYAoacS",
    "space": {"sys": {"type": "Link", "linkType": "Space", "id": "yadj1kx9rmg0"}},
    "environment": {"sys": {"id": "master", "type": "Link", "linkType": "Environment"}},
    "contentType": {"sys": {"type": "Link", "linkType": "ContentType", "id": "model"}},
    "createdAt": "2024-05-18T11:29:46.809Z", "updatedAt": "2024-05-18T11:29:46.809Z", "revision": 1
  },
  "fields": {
    "title": {"en-US": "Model S"},
    "slug": {"en-US": "model-s"},
    "body": {"en-US": {"nodeType": "document", "data": {}, "content": [
      {"nodeType": "unordered-list", "data": {}, "content": [
        {"nodeType": "list-item", "data": {}, "content": [
          {"nodeType": "paragraph", "data": {}, "content": [
            {"nodeType": "text", "value": "Range", "marks": [{"type": "bold"}], "data": {}}]}]}]}]}}
  }
})";

// ContentManagement.Entry.unpublish: only sys is left, typed DeletedEntry.
const std::string kContentfulDeletedEntry = R"({
  "sys": {
    "type": "DeletedEntry", "id": "5KsDBWseXY6QegucYAoacS",
    "space": {"sys": {"type": "Link", "linkType": "Space", "id": "yadj1kx9rmg0"}},
    "environment": {"sys": {"id": "master", "type": "Link", "linkType": "Environment"}},
    "contentType": {"sys": {"type": "Link", "linkType": "ContentType", "id": "model"}},
    "revision": 1, "createdAt": "2024-05-19T09:00:00.000Z", "deletedAt": "2024-05-19T09:00:00.000Z"
  }
})";

const std::string kContentfulRules = R"([[serve.map]]
when = { "sys.contentType.sys.id" = "model" }
tags = ["models:{sys.id}", "source:models"]

[[serve.map]]
when = { "sys.type" = "Entry" }
tags = ["slug:{fields.slug.en-US}"]
)";

// A GROQ-powered webhook with no projection: the document itself.
const std::string kSanityDocument = R"({
  "_id": "a7c1f6e2-3b4d-4c5e-9f10-1a2b3c4d5e6f", "_type": "post", "_rev": "tUfZbuqHbkU5bdyJbFzeSe",
  "_createdAt": "2024-03-01T10:00:00Z", "_updatedAt": "2024-03-02T08:30:00Z",
  "title": "Hello, world", "slug": {"_type": "slug", "current": "hello-world"},
  "body": [{"_type": "block", "_key": "b1", "style": "normal", "markDefs": [],
            "children": [{"_type": "span", "_key": "s1", "text": "Hi", "marks": []}]}]
})";

const std::string kSanityRules = R"([[serve.map]]
when = { _type = "post" }
tags = ["posts:{slug.current}", "docs:{_id}"]
)";

// Strapi 5's entry.publish; entry.id is a number.
const std::string kStrapiEntry = R"({
  "event": "entry.publish", "createdAt": "2024-06-10T08:47:36.649Z", "model": "article",
  "uid": "api::article.article",
  "entry": {"id": 7, "documentId": "h90lgohlzfpjf3bvan72mzll", "title": "Spring sale", "slug": "spring-sale",
            "createdAt": "2024-06-10T08:40:00.000Z", "updatedAt": "2024-06-10T08:47:36.264Z",
            "publishedAt": "2024-06-10T08:47:36.264Z", "locale": "en",
            "cover": null, "categories": [{"id": 3, "name": "Sales"}]}
})";

const std::string kStrapiRules = R"([[serve.map]]
when = { model = "article" }
tags = ["articles:{entry.slug}", "article-ids:{entry.id}"]

[[serve.map]]
tags = ["categories:{entry.categories.0.id}"]
)";

}  // namespace

TEST_CASE("payload map: a Contentful entry and its unpublish") {
  auto map = rules(kContentfulRules);
  CHECK(tags_of(map, kContentfulEntry) ==
        std::vector<std::string>{"models:5KsDBWseXY6QegucYAoacS", "source:models", "slug:model-s"});
  // The unpublished entry has no fields: only the first rule applies.
  CHECK(tags_of(map, kContentfulDeletedEntry) ==
        std::vector<std::string>{"models:5KsDBWseXY6QegucYAoacS", "source:models"});
}

TEST_CASE("payload map: a Sanity document") {
  CHECK(tags_of(rules(kSanityRules), kSanityDocument) ==
        std::vector<std::string>{"posts:hello-world", "docs:a7c1f6e2-3b4d-4c5e-9f10-1a2b3c4d5e6f"});
}

TEST_CASE("payload map: a Strapi entry, numbers and array indexes") {
  CHECK(tags_of(rules(kStrapiRules), kStrapiEntry) ==
        std::vector<std::string>{"articles:spring-sale", "article-ids:7", "categories:3"});
}

TEST_CASE("payload map: the same tag from two rules is given once") {
  auto map = rules(R"([[serve.map]]
tags = ["models:{sys.id}"]
[[serve.map]]
when = { "sys.type" = "Entry" }
tags = ["models:{sys.id}", "entries"]
)");
  CHECK(tags_of(map, kContentfulEntry) == std::vector<std::string>{"models:5KsDBWseXY6QegucYAoacS", "entries"});
}

TEST_CASE("payload map: no rule applies, and each says why") {
  CHECK(refusal(rules(kContentfulRules), kSanityDocument) ==
        "no [serve.map] rule applies to this body: content/site.toml:1: 'sys.contentType.sys.id' is missing; "
        "content/site.toml:5: 'sys.type' is missing");
  auto strapi = rules(kStrapiRules);
  CHECK(refusal(strapi, R"({"event": "entry.update", "model": "page", "entry": {"id": 1, "categories": []}})") ==
        "no [serve.map] rule applies to this body: content/site.toml:1: 'model' is \"page\", not \"article\"; "
        "content/site.toml:5: 'entry.categories.0.id' is missing");
  // Null, empty, and values that are not text are no better than missing.
  auto sanity = rules(kSanityRules);
  CHECK(refusal(sanity, R"({"_id": "a", "_type": "post", "slug": null})") ==
        "no [serve.map] rule applies to this body: content/site.toml:1: 'slug.current' is missing");
  CHECK(refusal(sanity, R"({"_id": "a", "_type": "post", "slug": {"current": ""}})") ==
        "no [serve.map] rule applies to this body: content/site.toml:1: 'slug.current' is empty");
  CHECK(refusal(sanity, R"({"_id": "a", "_type": "post", "slug": {"current": {"en": "x"}}})") ==
        "no [serve.map] rule applies to this body: content/site.toml:1: 'slug.current' is object, not a string or "
        "a whole number");
  CHECK(refusal(sanity, R"({"_id": "a", "_type": "post", "slug": {"current": 1.5}})") ==
        "no [serve.map] rule applies to this body: content/site.toml:1: 'slug.current' is number, not a string or "
        "a whole number");
}

TEST_CASE("payload map: a long or control-character value in a refusal is shortened and escaped") {
  std::string body = R"({"_type": "\u0007)" + std::string(200, 'p') + R"("})";
  std::string message = refusal(rules(kSanityRules), body);
  CHECK(message.size() < 200);
  CHECK(message.find('\x07') == std::string::npos);
  CHECK_THAT(message, Catch::Contains("'_type' is \"\\u0007ppp"));
  CHECK_THAT(message, Catch::Contains("...,"));
}

TEST_CASE("payload map: mapped tags pass the checks sent tags do") {
  auto map = rules(kSanityRules);
  std::string long_slug = R"({"_id": "a", "_type": "post", "slug": {"current": ")" + std::string(300, 's') + R"("}})";
  CHECK(refusal(map, long_slug) ==
        "content/site.toml:1: the tag from \"posts:{slug.current}\" is refused: longer than 256 bytes");
  CHECK(refusal(map, R"({"_id": "a", "_type": "post", "slug": {"current": "a\nb"}})") ==
        "content/site.toml:1: the tag from \"posts:{slug.current}\" is refused: contains a control character");
}

TEST_CASE("payload map: templates and field paths") {
  auto parsed = parse_tag_template("a{b.c}d{e}");
  REQUIRE(parsed.ok());
  REQUIRE(parsed.value().pieces.size() == 4);
  CHECK(parsed.value().pieces[1].field.segments == std::vector<std::string>{"b", "c"});
  CHECK(parsed.value().pieces[3].field.text == "e");
  CHECK(parse_tag_template("plain").value().pieces.size() == 1);

  auto message = [](std::string_view text) {
    auto result = parse_tag_template(text);
    return result.ok() ? "(parsed)" : result.error().message;
  };
  CHECK(message("") == "a tag template is empty: write e.g. \"models:{sys.id}\"");
  CHECK(message("models:{}") ==
        "tag template \"models:{}\" has a '{}' that names no field: write the field's dotted path, e.g. {sys.id}");
  CHECK(message("models:{sys.id") == "tag template \"models:{sys.id\" has a '{' without a '}' after it");
  CHECK(message("models:{sys{id}") == "tag template \"models:{sys{id}\" has a '{' without a '}' after it");
  CHECK(message("models:sys.id}") == "tag template \"models:sys.id}\" has a '}' without a '{' before it");
  CHECK(message("models:{sys..id}") ==
        "tag template \"models:{sys..id}\": field path 'sys..id' has an empty name: separate names with one '.', "
        "e.g. \"sys.contentType.sys.id\"");
  CHECK_FALSE(parse_field_path(".id").ok());
  CHECK_FALSE(parse_field_path("id.").ok());
}
