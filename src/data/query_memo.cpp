#include "data/query_memo.h"

#include <cstdint>
#include <cstring>
#include <mutex>
#include <string_view>

#include "util/json_hash.h"

namespace isrgen::data {
namespace {

void append_count(std::string& key, uint64_t count) {
  char bytes[sizeof count];
  std::memcpy(bytes, &count, sizeof count);
  key.append(bytes, sizeof bytes);
}

// Length-prefixed, so no two different sequences of pieces give one key.
void append_piece(std::string& key, std::string_view piece) {
  append_count(key, piece.size());
  key.append(piece);
}

// Everything that decides a query's answer, exactly: the source (its address,
// which the memo's contract keeps valid) and each part of the query.
std::string memo_key(const Source& source, const Query& query) {
  std::string key;
  append_count(key, reinterpret_cast<uintptr_t>(&source));
  append_count(key, query.filter.size());
  for (const auto& [field, values] : query.filter) {
    append_piece(key, field);
    append_count(key, values.size());
    for (const std::string& value : values) append_piece(key, value);
  }
  append_count(key, query.sort.size());
  for (const SortKey& sort : query.sort) {
    append_piece(key, sort.field);
    key.push_back(sort.descending ? '-' : '+');
  }
  key.push_back(query.limit ? 'l' : 'a');
  append_count(key, query.limit.value_or(0));
  return key;
}

std::string hash_of_records(const QueryResult& result) {
  Hasher hasher;
  for (const nlohmann::json* record : result.items) add_json(hasher, *record);
  return hasher.hex();
}

}  // namespace

Result<const MemoizedQuery*> QueryMemo::answer(const Source& source, const Query& query) {
  std::string key = memo_key(source, query);
  {
    std::shared_lock<std::shared_mutex> reading(mutex_);
    if (auto known = answers_.find(key); known != answers_.end()) return known->second.get();
  }
  // Run without holding the lock: threads asking other queries go on. Two
  // threads that ask the same new query both run it; the first answer stays.
  auto ran = run_query(source, query);
  if (!ran.ok()) return ran.error();
  auto memoized = std::make_unique<MemoizedQuery>();
  memoized->result = std::move(ran).value();
  memoized->records_hash = hash_of_records(memoized->result);
  std::unique_lock<std::shared_mutex> writing(mutex_);
  return answers_.try_emplace(std::move(key), std::move(memoized)).first->second.get();
}

size_t QueryMemo::size() const {
  std::shared_lock<std::shared_mutex> reading(mutex_);
  return answers_.size();
}

}  // namespace isrgen::data
