#include "data/query.h"

#include <algorithm>
#include <numeric>
#include <string_view>

#include "data/scalar.h"
#include "site/dependency_tag.h"

namespace isrgen::data {
namespace {

using nlohmann::json;
using FilterTerms = decltype(Query::filter);

Error query_error(std::string message) { return make_error("", 0, std::move(message)); }

// --- parse_query ---

Result<std::vector<std::string>> accepted_values(const std::string& field, const json& value) {
  if (is_scalar(value)) return std::vector<std::string>{scalar_text(value)};
  std::string what = "filter value for '" + field + "'";
  if (!value.is_array())
    return query_error(what + " must be a value or a list of values, found " + describe_kind(value));
  if (value.empty())
    return query_error(what + " is an empty list, which matches nothing; list at least one value or drop '" +
                       field + "'");
  std::vector<std::string> texts;
  for (const json& element : value) {
    if (!is_scalar(element))
      return query_error(what + " must list strings, numbers or booleans, found " + describe_kind(element));
    texts.push_back(scalar_text(element));
  }
  sort_unique(texts);
  return texts;
}

Result<FilterTerms> parse_filter(const json& filter) {
  FilterTerms terms;
  if (filter.is_null()) return terms;
  if (!filter.is_object())
    return query_error("filter must map fields to a value or a list of values, e.g. {category: [fashion, fitness]}; found " +
                       describe_kind(filter));
  // A json object iterates its keys in sorted order, which Query::filter promises.
  for (auto term = filter.begin(); term != filter.end(); ++term) {
    auto values = accepted_values(term.key(), term.value());
    if (!values.ok()) return values.error();
    terms.emplace_back(term.key(), std::move(values).value());
  }
  return terms;
}

Result<SortKey> parse_sort_key(const json& spec) {
  if (!spec.is_string())
    return query_error("sort must be a field name, '-field' for descending, or a list of them, e.g. [-rating, name]; found " +
                       describe_kind(spec));
  std::string_view text = spec.get_ref<const std::string&>();
  SortKey key;
  key.descending = text.starts_with('-');
  key.field = text.substr(key.descending ? 1 : 0);
  if (key.field.empty()) return query_error("sort names an empty field; expected 'field' or '-field'");
  return key;
}

Result<std::vector<SortKey>> parse_sort(const json& sort) {
  std::vector<SortKey> keys;
  if (sort.is_null()) return keys;
  // "rating" is short for ["rating"].
  for (const json& spec : sort.is_array() ? sort : json::array({sort})) {
    auto key = parse_sort_key(spec);
    if (!key.ok()) return key.error();
    keys.push_back(std::move(key).value());
  }
  return keys;
}

Result<std::optional<size_t>> parse_limit(const json& limit) {
  if (limit.is_null()) return std::optional<size_t>();
  // Non-negative integers parse as unsigned, but a caller may build them signed.
  if (limit.is_number_unsigned() || (limit.is_number_integer() && limit.get<int64_t>() >= 0))
    return std::optional<size_t>(limit.get<size_t>());
  std::string found = limit.is_number() ? limit.dump() : describe_kind(limit);
  return query_error("limit must be a non-negative integer, found " + found);
}

// --- run_query ---

Status check_known(const Source& source, const std::string& field) {
  if (source.records.empty() || source.fields.contains(field)) return Status::Ok();
  std::string known;
  for (const auto& [name, index] : source.fields) known += (known.empty() ? "" : ", ") + name;
  return query_error("unknown field '" + field + "' in source '" + source.name + "' (known fields: " + known + ")");
}

Status check_fields_known(const Source& source, const Query& query) {
  for (const auto& [field, values] : query.filter)
    if (Status known = check_known(source, field); !known.ok()) return known;
  for (const SortKey& key : query.sort)
    if (Status known = check_known(source, key.field); !known.ok()) return known;
  return Status::Ok();
}

// Record positions that match every filter field, ascending.
std::vector<size_t> matching_positions(const Source& source, const FilterTerms& filter) {
  std::vector<size_t> positions;
  if (filter.empty()) {
    positions.resize(source.records.size());
    std::iota(positions.begin(), positions.end(), size_t{0});
    return positions;
  }
  // fields_matched[p] == i means record p matched filter fields 0..i-1; field i can
  // only raise it to i + 1 (once, however many of its values the record holds).
  std::vector<size_t> fields_matched(source.records.size(), 0);
  for (size_t i = 0; i < filter.size(); ++i) {
    auto field = source.fields.find(filter[i].first);
    if (field == source.fields.end()) return positions;
    for (const std::string& value : filter[i].second) {
      auto holders = field->second.positions_by_value.find(value);
      if (holders == field->second.positions_by_value.end()) continue;
      for (size_t position : holders->second)
        if (fields_matched[position] == i) fields_matched[position] = i + 1;
    }
  }
  for (size_t position = 0; position < fields_matched.size(); ++position)
    if (fields_matched[position] == filter.size()) positions.push_back(position);
  return positions;
}

struct RankKey {
  const std::vector<uint32_t>* rank;
  bool descending;
};

bool sorts_before(const std::vector<RankKey>& keys, size_t a, size_t b) {
  for (const RankKey& key : keys) {
    uint32_t rank_a = (*key.rank)[a];
    uint32_t rank_b = (*key.rank)[b];
    if (rank_a == rank_b) continue;
    // Records without a value go last whichever the direction.
    if (rank_a == FieldIndex::kNoValue) return false;
    if (rank_b == FieldIndex::kNoValue) return true;
    return key.descending ? rank_a > rank_b : rank_a < rank_b;
  }
  return a < b;  // file order breaks ties, which makes the order total
}

// Sorts and limits `positions`. With ties broken by file order the sort order
// is total, so a partial sort of the first `limit` equals a stable full sort.
void sort_and_limit(const Source& source, const Query& query, std::vector<size_t>& positions) {
  std::vector<RankKey> keys;
  for (const SortKey& key : query.sort) {
    // An unknown field only passes check_fields_known in an empty source.
    auto field = source.fields.find(key.field);
    if (field != source.fields.end()) keys.push_back({&field->second.sort_rank, key.descending});
  }
  size_t kept = std::min(positions.size(), query.limit.value_or(positions.size()));
  if (!keys.empty()) {
    auto before = [&](size_t a, size_t b) { return sorts_before(keys, a, b); };
    if (kept < positions.size()) {
      std::partial_sort(positions.begin(), positions.begin() + kept, positions.end(), before);
    } else {
      std::sort(positions.begin(), positions.end(), before);
    }
  }
  positions.resize(kept);
}

std::vector<std::string> read_tags(const Source& source, const FilterTerms& filter,
                                   const std::vector<size_t>& positions) {
  std::vector<std::string> tags;
  if (filter.empty()) tags.push_back(source_tag(source.name));
  for (const auto& [field, values] : filter)
    for (const std::string& value : values) tags.push_back(term_tag(source.name, field, value));
  for (size_t position : positions) tags.push_back(record_tag(source.name, source.ids[position]));
  sort_unique(tags);
  return tags;
}

}  // namespace

Result<Query> parse_query(const json& filter, const json& sort, const json& limit) {
  auto terms = parse_filter(filter);
  if (!terms.ok()) return terms.error();
  auto keys = parse_sort(sort);
  if (!keys.ok()) return keys.error();
  auto max = parse_limit(limit);
  if (!max.ok()) return max.error();
  return Query{std::move(terms).value(), std::move(keys).value(), max.value()};
}

Result<QueryResult> run_query(const Source& source, const Query& query) {
  if (Status known = check_fields_known(source, query); !known.ok()) return known.error();
  std::vector<size_t> positions = matching_positions(source, query.filter);
  sort_and_limit(source, query, positions);

  QueryResult result;
  result.items.reserve(positions.size());
  for (size_t position : positions) result.items.push_back(&source.records[position]);
  result.tags = read_tags(source, query.filter, positions);
  return result;
}

}  // namespace isrgen::data
