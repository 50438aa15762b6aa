#include "serve/payload_map.h"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "serve/revalidate_request.h"

namespace isrgen::serve {
namespace {

using nlohmann::json;

Error bad_request(std::string message) { return make_error("", 0, std::move(message)); }

bool is_index(std::string_view segment) {
  return !segment.empty() && segment.size() <= 9 &&
         std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const json* find_field(const json& body, const FieldPath& path) {
  const json* at = &body;
  for (const std::string& segment : path.segments) {
    if (at->is_object()) {
      auto found = at->find(segment);
      if (found == at->end()) return nullptr;
      at = &*found;
    } else if (at->is_array() && is_index(segment)) {
      size_t index = std::stoul(segment);
      if (index >= at->size()) return nullptr;
      at = &(*at)[index];
    } else {
      return nullptr;
    }
  }
  return at;
}

// A body's value as a message quotes it: short, and escaped as JSON, so a
// control character or a megabyte string sent in a webhook stays out of logs.
std::string quoted(const json& value) {
  constexpr size_t kMaxShown = 60;
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return text;
}

// The text a field puts into a tag, or why it cannot: null and absent fields
// are the usual case of a rule meant for another kind of payload.
struct FieldText {
  std::optional<std::string> text;
  std::string why_not;
};

FieldText field_text(const json& body, const FieldPath& path) {
  const json* value = find_field(body, path);
  if (!value || value->is_null()) return {std::nullopt, "'" + path.text + "' is missing"};
  if (value->is_string()) {
    if (value->get_ref<const std::string&>().empty()) return {std::nullopt, "'" + path.text + "' is empty"};
    return {value->get<std::string>(), ""};
  }
  if (value->is_number_integer()) return {value->dump(), ""};
  return {std::nullopt, "'" + path.text + "' is " + std::string(value->type_name()) +
                            ", not a string or a whole number"};
}

// Why `rule` does not apply to `body` (empty when it does), and the tags it gives.
std::string apply(const MapRule& rule, const json& body, std::vector<std::string>& tags) {
  for (const FieldCondition& condition : rule.when) {
    const json* value = find_field(body, condition.field);
    if (!value) return "'" + condition.field.text + "' is missing";
    if (*value != condition.value)
      return "'" + condition.field.text + "' is " + quoted(*value) + ", not " + quoted(condition.value);
  }
  for (const TagTemplate& tag_template : rule.tags) {
    std::string tag;
    for (const TagTemplate::Piece& piece : tag_template.pieces) {
      if (!piece.is_field) {
        tag += piece.literal;
        continue;
      }
      FieldText text = field_text(body, piece.field);
      if (!text.text) return text.why_not;
      tag += *text.text;
    }
    tags.push_back(std::move(tag));
  }
  return "";
}

}  // namespace

Result<FieldPath> parse_field_path(std::string_view text) {
  FieldPath path{std::string(text), {}};
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    std::string_view segment = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (segment.empty())
      return bad_request("field path '" + std::string(text) +
                         "' has an empty name: separate names with one '.', e.g. \"sys.contentType.sys.id\"");
    path.segments.emplace_back(segment);
    if (dot == std::string_view::npos) return path;
    start = dot + 1;
  }
}

Result<TagTemplate> parse_tag_template(std::string_view text) {
  if (text.empty()) return bad_request("a tag template is empty: write e.g. \"models:{sys.id}\"");
  TagTemplate parsed{std::string(text), {}};
  size_t at = 0;
  while (at < text.size()) {
    size_t brace = text.find_first_of("{}", at);
    if (brace != at) {
      parsed.pieces.push_back({std::string(text.substr(at, brace - at)), {}, false});
      if (brace == std::string_view::npos) break;
    }
    if (text[brace] == '}')
      return bad_request("tag template \"" + std::string(text) + "\" has a '}' without a '{' before it");
    size_t close = text.find_first_of("{}", brace + 1);
    if (close == std::string_view::npos || text[close] == '{')
      return bad_request("tag template \"" + std::string(text) + "\" has a '{' without a '}' after it");
    std::string_view name = text.substr(brace + 1, close - brace - 1);
    if (name.empty())
      return bad_request("tag template \"" + std::string(text) +
                         "\" has a '{}' that names no field: write the field's dotted path, e.g. {sys.id}");
    auto field = parse_field_path(name);
    if (!field) return bad_request("tag template \"" + std::string(text) + "\": " + field.error().message);
    parsed.pieces.push_back({"", std::move(field).value(), true});
    at = close + 1;
  }
  return parsed;
}

Result<std::vector<std::string>> map_payload(const json& body, std::span<const MapRule> rules) {
  std::vector<std::string> tags;
  std::unordered_set<std::string> seen;
  std::vector<std::string> reasons;
  for (const MapRule& rule : rules) {
    std::vector<std::string> given;
    std::string why_not = apply(rule, body, given);
    if (!why_not.empty()) {
      reasons.push_back(rule.origin + ": " + why_not);
      continue;
    }
    for (size_t i = 0; i < given.size(); ++i) {
      Status checked = check_tag(given[i]);
      if (!checked)
        return bad_request(rule.origin + ": the tag from \"" + rule.tags[i].text + "\" is refused: " +
                           checked.error().message);
      if (seen.insert(given[i]).second) tags.push_back(std::move(given[i]));
    }
  }
  if (reasons.size() < rules.size()) return tags;
  // Bounded, as the sender's log shows the 400 whole.
  constexpr size_t kMaxReasons = 5;
  std::string message = "no [serve.map] rule applies to this body: ";
  for (size_t i = 0; i < reasons.size() && i < kMaxReasons; ++i) message += (i ? "; " : "") + reasons[i];
  if (reasons.size() > kMaxReasons) message += "; and " + std::to_string(reasons.size() - kMaxReasons) + " more";
  return bad_request(message);
}

}  // namespace isrgen::serve
