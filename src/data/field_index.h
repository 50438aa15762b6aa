// Per-field indexes of a source's records, built once when the source is parsed
// so that queries, run by many pages in parallel, only read: which records hold
// a value, and where each record's value falls in sort order.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace isrgen::data {

struct FieldIndex {
  static constexpr uint32_t kNoValue = UINT32_MAX;

  // scalar_text of each value (of each scalar element, for array fields) ->
  // positions of the records holding it, ascending.
  std::unordered_map<std::string, std::vector<size_t>> positions_by_value;

  // Per record position: the dense rank of its value in compare_for_sort order
  // (equal values share a rank), or kNoValue when the field is missing or null.
  std::vector<uint32_t> sort_rank;
};

// Every top-level field that any record has, by name (std::less<> so that
// lookups by string_view need no copy).
using FieldIndexes = std::map<std::string, FieldIndex, std::less<>>;

FieldIndexes index_fields(const std::vector<nlohmann::json>& records);

}  // namespace isrgen::data
