// A local data source: content/data/<name>.json, a JSON array of records, each
// an object with a unique "id" (string or number). Parsed once per build and
// then only read, from many threads at once; the indexes queries need are built
// here so that reading never has to build anything.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/field_index.h"
#include "util/error.h"

namespace isrgen::data {

struct Source {
  std::string name;                                      // "models"
  std::string display_path;                              // "content/data/models.json" (for errors)
  std::string content_hash;                              // content_hash() of the file bytes
  std::vector<nlohmann::json> records;                   // file order, each an object with "id"
  std::vector<int> record_lines;                         // 1-based line where each record's '{' starts
  std::vector<std::string> ids;                          // scalar_text of each record's id
  std::unordered_map<std::string, size_t> index_by_id;  // scalar_text(id) -> position
  FieldIndexes fields;                                   // every field any record has

  const nlohmann::json* find(std::string_view id) const;  // nullptr when no record has it
};

// Parses the bytes of a source file. Errors carry display_path, the line and
// column of the problem, and what to do about it: invalid UTF-8, a JSON syntax
// error, a top level that is not an array, a record that is not an object, a
// missing, empty or non-scalar "id", and a duplicate id (ids are compared by
// scalar_text, so "7" and 7 are the same id).
Result<Source> parse_source(std::string name, std::string display_path, std::string_view text);

}  // namespace isrgen::data
