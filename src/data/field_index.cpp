#include "data/field_index.h"

#include <algorithm>

#include "data/scalar.h"
#include "data/value_order.h"

namespace isrgen::data {
namespace {

void index_values(const nlohmann::json& record, size_t position, FieldIndexes& fields) {
  for (auto field = record.begin(); field != record.end(); ++field) fields[field.key()];
  for_each_scalar_term(record, [&](const std::string& field, std::string text) {
    auto& positions = fields[field].positions_by_value[std::move(text)];
    // An array may list a value twice; the record still holds it once.
    if (positions.empty() || positions.back() != position) positions.push_back(position);
  });
}

std::vector<uint32_t> rank_values(const std::vector<nlohmann::json>& records, const std::string& field) {
  std::vector<const nlohmann::json*> value_at(records.size(), nullptr);
  std::vector<size_t> ordered;
  for (size_t position = 0; position < records.size(); ++position) {
    auto value = records[position].find(field);
    if (value == records[position].end() || value->is_null()) continue;
    value_at[position] = &*value;
    ordered.push_back(position);
  }
  auto before = [&](size_t a, size_t b) { return compare_for_sort(*value_at[a], *value_at[b]) < 0; };
  std::sort(ordered.begin(), ordered.end(), before);

  std::vector<uint32_t> rank(records.size(), FieldIndex::kNoValue);
  uint32_t current = 0;
  for (size_t i = 0; i < ordered.size(); ++i) {
    if (i > 0 && before(ordered[i - 1], ordered[i])) ++current;
    rank[ordered[i]] = current;
  }
  return rank;
}

}  // namespace

FieldIndexes index_fields(const std::vector<nlohmann::json>& records) {
  FieldIndexes fields;
  for (size_t position = 0; position < records.size(); ++position) index_values(records[position], position, fields);
  for (auto& [name, index] : fields) index.sort_rank = rank_values(records, name);
  return fields;
}

}  // namespace isrgen::data
