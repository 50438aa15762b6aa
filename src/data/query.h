// What a component asks of a source (front matter `filter`, `sort`, `limit`)
// and the answer: the records to render and the dependency tags the read
// carries (ARCHITECTURE §3).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/source.h"
#include "util/error.h"

namespace isrgen::data {

struct SortKey {
  std::string field;
  bool descending = false;
};

struct Query {
  // field -> accepted values (scalar_text, sorted, unique); fields in sorted order.
  std::vector<std::pair<std::string, std::vector<std::string>>> filter;
  std::vector<SortKey> sort;
  std::optional<size_t> limit;
};

// From the front-matter values, each of which may be null (absent):
//   filter: {field: value, field: [value, ...]}   ("field equals any listed value";
//           values are scalars; an empty list is an error, it could match nothing)
//   sort:   "rating" | "-rating" | ["-rating", "name"]
//   limit:  a non-negative integer
// Error messages say what is wrong and what is expected; the caller adds file:line.
Result<Query> parse_query(const nlohmann::json& filter, const nlohmann::json& sort, const nlohmann::json& limit);

struct QueryResult {
  std::vector<const nlohmann::json*> items;  // into Source::records, after filter, sort, limit
  std::vector<std::string> tags;             // sorted, unique
};

// A record matches when, for every filter field, its value (or, for an array
// field, any element) has the scalar_text of an accepted value. The sort is
// stable (ties keep file order) in compare_for_sort order; records whose field is
// missing or null come last in either direction. The limit applies last.
// Tags: "source:<name>" without a filter, else "<name>:<field>=<value>" for every
// accepted value; plus "<name>:<id>" for every item.
// Fails when a non-empty source has no record with a filtered or sorted field.
// Only reads `source`: safe to call from many threads at once.
Result<QueryResult> run_query(const Source& source, const Query& query);

}  // namespace isrgen::data
