// [[serve.map]] rules of content/site.toml: how a CMS's own webhook body
// (Contentful, Sanity, Strapi...) becomes revalidation tags, since those
// senders cannot be taught isrgen's {"tags": [...], "paths": [...]}. A rule
// names fields of the body by dotted path ("sys.contentType.sys.id"; a number
// indexes an array) and fills tag templates with them:
//
//   [[serve.map]]
//   when = { "sys.type" = "Entry" }         # optional: fields that must equal
//   tags = ["models:{sys.id}", "source:models"]
//
// A rule applies when every `when` field equals its value and every field its
// tags name is a non-empty string or a whole number; every rule that applies
// adds its tags.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace isrgen::serve {

struct FieldPath {
  std::string text;                   // as written, for messages
  std::vector<std::string> segments;  // object keys, or array indexes in decimal
};

struct FieldCondition {
  FieldPath field;
  nlohmann::json value;  // a string, a whole number or a boolean
};

struct TagTemplate {
  struct Piece {
    std::string literal;  // copied as it is when `is_field` is false
    FieldPath field;
    bool is_field = false;
  };
  std::string text;  // as written, for messages
  std::vector<Piece> pieces;
};

struct MapRule {
  std::string origin;  // "content/site.toml:12", where a 400 points the site's owner
  std::vector<FieldCondition> when;
  std::vector<TagTemplate> tags;
};

// A dotted path such as "sys.contentType.sys.id". The error (no location:
// the caller adds it) names an empty segment.
Result<FieldPath> parse_field_path(std::string_view text);

// Literal text with {field.path} placeholders, e.g. "models:{sys.id}". Errors
// (no location) for an empty template, an unmatched brace or "{}".
Result<TagTemplate> parse_tag_template(std::string_view text);

// The tags the rules applying to `body` give, in rule order, each once and
// each passing the checks a sent tag passes. An error names the rule
// (MapRule::origin) when a tag fails them, and every rule's reason when none applies.
Result<std::vector<std::string>> map_payload(const nlohmann::json& body, std::span<const MapRule> rules);

}  // namespace isrgen::serve
