#include "data/remote_records.h"

#include "data/scalar.h"

namespace isrgen::data {
namespace {

using nlohmann::json;

std::string key_list(const json& object) {
  std::string keys;
  for (const auto& [key, value] : object.items()) {
    if (keys.size() > 80) return keys + ", ...";
    keys += (keys.empty() ? "" : ", ") + key;
  }
  return keys.empty() ? "none" : keys;
}

// The value at a dotted path ("data.items", "results.0.rows"); numeric
// segments index arrays.
Result<json*> follow_items_path(const std::string& display, json& document, const std::string& items_path) {
  json* at = &document;
  std::string walked;
  size_t start = 0;
  while (start <= items_path.size()) {
    size_t dot = items_path.find('.', start);
    std::string segment = items_path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    std::string where = walked.empty() ? "the response" : "'" + walked + "'";
    auto fail = [&](const std::string& why) {
      return make_error(display, 0, "items_path '" + items_path + "': " + why + " (check items_path in content/site.toml)");
    };
    if (at->is_object()) {
      auto found = at->find(segment);
      if (found == at->end()) return fail("no '" + segment + "' in " + where + " (keys: " + key_list(*at) + ")");
      at = &*found;
    } else if (at->is_array() && !segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos) {
      size_t index = std::stoul(segment);
      if (index >= at->size()) return fail(where + " has only " + std::to_string(at->size()) + " elements");
      at = &(*at)[index];
    } else {
      return fail(where + " is " + describe_kind(*at) + ", not an object");
    }
    walked += (walked.empty() ? "" : ".") + segment;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return at;
}

Result<Source> records_of(const std::string& name, const std::string& display, json& document,
                          const std::string& items_path) {
  json* records = &document;
  if (!items_path.empty()) {
    auto found = follow_items_path(display, document, items_path);
    if (!found.ok()) return found.error();
    records = found.value();
  }
  if (!records->is_array())
    return make_error(display, 0,
                      (items_path.empty() ? std::string("the response") : "items_path '" + items_path + "'") +
                          " must be a JSON array of records, found " + describe_kind(*records) +
                          (items_path.empty() && records->is_object()
                               ? " (keys: " + key_list(*records) + "; set items_path to the array's path)"
                               : ""));
  return make_source(name, display, std::move(records->get_ref<json::array_t&>()));
}

}  // namespace

std::string display_url(std::string_view url) {
  size_t cut = url.find_first_of("?#");
  return std::string(url.substr(0, cut));
}

Result<Source> records_from_response(const std::string& name, const std::string& display, std::string_view body,
                                     const std::string& items_path, int max_depth) {
  Result<json> document = parse_json_text(display, body, max_depth);
  if (!document.ok()) return document.error();
  return records_of(name, display, document.value(), items_path);
}

Result<Source> records_from_snapshot(const std::string& name, const std::string& display, std::string_view records,
                                     int max_depth) {
  return records_from_response(name, display, records, "", max_depth);
}

std::string canonical_records(const Source& source) { return json(source.records).dump(); }

}  // namespace isrgen::data
