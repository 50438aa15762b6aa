// Feeds a data source and a component's query of it. The first line is the
// query as front matter gives it ({"filter": ..., "sort": ..., "limit": ...},
// JSON), the rest the source's JSON records (content/data/<name>.json or a
// remote API's answer): parse_source, parse_query, then run_query.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "data/query.h"
#include "data/source.h"

namespace {

nlohmann::json member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nlohmann::json(nullptr) : *it;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view query_text = newline == std::string_view::npos ? input : input.substr(0, newline);
  const std::string_view records_text = newline == std::string_view::npos ? "" : input.substr(newline + 1);

  auto source = isrgen::data::parse_source("models", "content/data/models.json", records_text);
  if (!source) (void)source.error().to_string();
  auto terms = isrgen::data::parse_json_text("front matter", query_text);
  if (!terms) return 0;
  auto query = isrgen::data::parse_query(member(terms.value(), "filter"), member(terms.value(), "sort"),
                                         member(terms.value(), "limit"));
  if (!query || !source) return 0;
  auto result = isrgen::data::run_query(source.value(), query.value());
  if (!result) (void)result.error().to_string();
  return 0;
}
