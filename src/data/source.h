// A data source: a JSON array of records, each an object with a unique "id"
// (string or number), from a local file (content/data/<name>.json) or a remote
// API's snapshot. Parsed once per build and then only read, from many threads
// at once; the indexes queries need are built here so that reading never has
// to build anything.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/field_index.h"
#include "site/site_config.h"
#include "util/error.h"

namespace isrgen::data {

struct Source {
  std::string name;                                      // "models"
  std::string display_path;                              // "content/data/models.json", or the URL (for errors)
  std::vector<nlohmann::json> records;                   // file order, each an object with "id"
  std::vector<std::string> ids;                          // scalar_text of each record's id
  std::unordered_map<std::string, size_t> index_by_id;  // scalar_text(id) -> position
  FieldIndexes fields;                                   // every field any record has
  // Non-empty when the records are missing, not empty: a remote source with no
  // snapshot it may serve. Pages reading it render their empty state and are
  // degraded. Holds the reason.
  std::string unavailable;

  const nlohmann::json* find(std::string_view id) const;  // nullptr when no record has it
};

// Parses the bytes of a source file. Errors carry display_path, the line and
// column of the problem, and what to do about it: invalid UTF-8, a JSON syntax
// error, a top level that is not an array, a record that is not an object, a
// missing, empty or non-scalar "id", and a duplicate id (ids are compared by
// scalar_text, so "7" and 7 are the same id).
// Past `max_depth` levels of nesting the text is refused before it is parsed.
Result<Source> parse_source(std::string name, std::string display_path, std::string_view text,
                            int max_depth = InputLimits{}.json_depth);

// Records that arrive already parsed (a remote response, a stored snapshot):
// validated as parse_source does, errors naming the record by its position
// ("record 3: ...") since there is no file to point into.
Result<Source> make_source(std::string name, std::string display_path, nlohmann::json::array_t records);

// A JSON document, with errors at line:column of `text`: invalid UTF-8,
// syntax errors, and nesting deeper than `max_depth` (limits.json_depth).
Result<nlohmann::json> parse_json_text(const std::string& display_path, std::string_view text,
                                       int max_depth = InputLimits{}.json_depth);

}  // namespace isrgen::data
