#include "data/source.h"

#include <cstdio>
#include <optional>

#include "data/array_elements.h"
#include "data/scalar.h"
#include "util/hash.h"
#include "util/text.h"

namespace isrgen::data {
namespace {

using nlohmann::json;

Error error_at(const std::string& display_path, TextPosition at, std::string message) {
  return make_error(display_path, at.line, std::move(message), at.column);
}

std::string hex_byte(char c) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", static_cast<unsigned char>(c));
  return text;
}

// nlohmann's message minus its "[json.exception...] parse error at line L, column C: "
// prefix: the location is reported in the Error, from the byte offset.
std::string parser_detail(std::string_view what) {
  size_t cut = what.find(": ");
  return std::string(cut == std::string_view::npos ? what : what.substr(cut + 2));
}

Result<json> parse_json(const std::string& display_path, std::string_view text) {
  if (auto bad = first_invalid_utf8(text))
    return error_at(display_path, position_of(text, *bad),
                    "invalid UTF-8 (byte " + hex_byte(text[*bad]) + "); save the file as UTF-8");
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte counts from 1 and names the last byte the parser read.
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    return error_at(display_path, position_of(text, offset), "invalid JSON: " + parser_detail(e.what()));
  }
}

Error not_an_array(const std::string& display_path, std::string_view text, const json& document) {
  size_t start = text.find_first_not_of(" \t\r\n");
  return error_at(display_path, position_of(text, start == std::string_view::npos ? 0 : start),
                  "a data source must be a JSON array of records ([{\"id\": ...}, ...]), found " +
                      describe_kind(document));
}

// What makes `record` unusable, or nothing.
std::optional<std::string> record_problem(const json& record) {
  if (!record.is_object())
    return "each record must be a JSON object with an \"id\", found " + describe_kind(record);
  auto id = record.find("id");
  if (id == record.end()) return std::string("record has no \"id\"; give it a unique string or number id");
  if (!id->is_string() && !id->is_number())
    return "\"id\" must be a string or a number, found " + describe_kind(*id);
  if (id->is_string() && id->get_ref<const std::string&>().empty())
    return std::string("\"id\" is empty; give the record a unique, non-empty id");
  return std::nullopt;
}

// Checks every record and fills in the ids, their lines and the id index.
Status index_records(Source& source, const std::vector<TextPosition>& starts) {
  for (size_t i = 0; i < source.records.size(); ++i) {
    if (auto problem = record_problem(source.records[i]))
      return error_at(source.display_path, starts[i], std::move(*problem));
    std::string id = scalar_text(source.records[i].at("id"));
    auto [first, inserted] = source.index_by_id.try_emplace(id, i);
    if (!inserted)
      return error_at(source.display_path, starts[i],
                      "duplicate id '" + id + "' (first at line " +
                          std::to_string(source.record_lines[first->second]) + ")");
    source.record_lines.push_back(starts[i].line);
    source.ids.push_back(std::move(id));
  }
  return Status::Ok();
}

}  // namespace

const json* Source::find(std::string_view id) const {
  auto found = index_by_id.find(std::string(id));
  return found == index_by_id.end() ? nullptr : &records[found->second];
}

Result<Source> parse_source(std::string name, std::string display_path, std::string_view text) {
  Result<json> document = parse_json(display_path, text);
  if (!document.ok()) return document.error();
  if (!document.value().is_array()) return not_an_array(display_path, text, document.value());

  Source source;
  source.name = std::move(name);
  source.display_path = std::move(display_path);
  source.content_hash = content_hash(text);
  source.records = std::move(document.value().get_ref<json::array_t&>());
  if (Status indexed = index_records(source, array_element_positions(text)); !indexed.ok()) return indexed.error();
  source.fields = index_fields(source.records);
  return source;
}

}  // namespace isrgen::data
