// The answers to the queries of one build, each computed once: in a site of
// 10,000 pages a few thousand distinct (source, filter, sort, limit) queries
// repeat, and every page after the first that asks one reads its answer.
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "data/query.h"
#include "data/source.h"
#include "util/error.h"

namespace isrgen::data {

// What a query answered, with what a page showing its records records.
struct MemoizedQuery {
  QueryResult result;
  // Content hash of result.items, in their order (util/json_hash.h): a
  // function of exactly the records shown, so a change to any other record of
  // the source leaves it as it is.
  std::string records_hash;
};

// Holds answers that point into the sources asked about: a QueryMemo must not
// outlive any Source passed to it (the page renderer keeps one per build,
// beside the build's catalog). Safe to use from many threads at once.
class QueryMemo {
 public:
  // run_query(source, query) the first time this source (by address) and
  // query (every filter term, sort key and the limit) are asked for, and the
  // same answer every later time; the pointer stays valid while the memo
  // lives. An error is returned and not kept: it fails its page, and a
  // corrected page comes with another build.
  Result<const MemoizedQuery*> answer(const Source& source, const Query& query);

  size_t size() const;

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<const MemoizedQuery>> answers_;
};

}  // namespace isrgen::data
