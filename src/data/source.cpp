#include "data/source.h"

#include <cstdio>
#include <optional>

#include "data/array_elements.h"
#include "data/scalar.h"
#include "util/json_nesting.h"
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

}  // namespace

Result<json> parse_json_text(const std::string& display_path, std::string_view text, int max_depth) {
  if (auto bad = first_invalid_utf8(text))
    return error_at(display_path, position_of(text, *bad),
                    "invalid UTF-8 (byte " + hex_byte(text[*bad]) + "); save the file as UTF-8");
  if (auto deep = json_nesting_past(text, max_depth))
    return error_at(display_path, position_of(text, *deep),
                    "JSON nested deeper than " + std::to_string(max_depth) + " levels; raise " +
                        InputLimits::setting("json_depth") + " if this is meant");
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte counts from 1 and names the last byte the parser read.
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    return error_at(display_path, position_of(text, offset), "invalid JSON: " + parser_detail(e.what()));
  } catch (const json::out_of_range& e) {
    // A number past a double's range (1e400). nlohmann names the number
    // ("number overflow parsing '1e400'") but not where it is: it is found again.
    std::string_view what = e.what();
    size_t open = what.find('\''), close = what.rfind('\'');
    std::string_view number = open < close ? what.substr(open + 1, close - open - 1) : std::string_view();
    size_t offset = number.empty() ? std::string_view::npos : text.find(number);
    return error_at(display_path, position_of(text, offset == std::string_view::npos ? 0 : offset),
                    "invalid JSON: the number " + std::string(number) +
                        " is too large to store (past a double's range of about 1.8e308)");
  }
}

namespace {

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

// Where each record is, for errors: a line and column in the file, or (for
// records that came parsed) the record's 1-based position.
class RecordPlaces {
 public:
  RecordPlaces(const std::string& display_path, const std::vector<TextPosition>* starts)
      : display_path_(display_path), starts_(starts) {}
  Error error(size_t i, std::string message) const {
    if (starts_) return error_at(display_path_, (*starts_)[i], std::move(message));
    return make_error(display_path_, 0, "record " + std::to_string(i + 1) + ": " + message);
  }
  std::string describe(size_t i) const {
    return starts_ ? "line " + std::to_string((*starts_)[i].line) : "record " + std::to_string(i + 1);
  }

 private:
  const std::string& display_path_;
  const std::vector<TextPosition>* starts_;
};

// Checks every record and fills in the ids and the id index, then the field indexes.
Status index_records(Source& source, const RecordPlaces& places) {
  for (size_t i = 0; i < source.records.size(); ++i) {
    if (auto problem = record_problem(source.records[i])) return places.error(i, std::move(*problem));
    std::string id = scalar_text(source.records[i].at("id"));
    auto [first, inserted] = source.index_by_id.try_emplace(id, i);
    if (!inserted)
      return places.error(i, "duplicate id '" + id + "' (first at " + places.describe(first->second) + ")");
    source.ids.push_back(std::move(id));
  }
  source.fields = index_fields(source.records);
  return Status::Ok();
}

}  // namespace

const json* Source::find(std::string_view id) const {
  auto found = index_by_id.find(std::string(id));
  return found == index_by_id.end() ? nullptr : &records[found->second];
}

Result<Source> parse_source(std::string name, std::string display_path, std::string_view text, int max_depth) {
  Result<json> document = parse_json_text(display_path, text, max_depth);
  if (!document.ok()) return document.error();
  if (!document.value().is_array()) return not_an_array(display_path, text, document.value());

  Source source;
  source.name = std::move(name);
  source.display_path = std::move(display_path);
  source.records = std::move(document.value().get_ref<json::array_t&>());
  std::vector<TextPosition> starts = array_element_positions(text);
  if (Status indexed = index_records(source, RecordPlaces(source.display_path, &starts)); !indexed.ok())
    return indexed.error();
  return source;
}

Result<Source> make_source(std::string name, std::string display_path, json::array_t records) {
  Source source;
  source.name = std::move(name);
  source.display_path = std::move(display_path);
  source.records = std::move(records);
  if (Status indexed = index_records(source, RecordPlaces(source.display_path, nullptr)); !indexed.ok())
    return indexed.error();
  return source;
}

}  // namespace isrgen::data
