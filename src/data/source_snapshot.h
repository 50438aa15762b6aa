// What the state index keeps of a remote data source: the last good records
// (the snapshot every build serves until a refetch brings new ones, and the
// base the next response is diffed against), when the origin last confirmed
// them, the validators for a conditional refetch, and the last failure.
#pragma once

#include <cstdint>
#include <string>

namespace isrgen {

struct SourceSnapshot {
  std::string source;        // the source's name
  std::string origin_key;    // SourceConfig::origin_key() the records were fetched with
  std::string records;       // the records as a canonical JSON array; empty: never fetched successfully
  std::string content_hash;  // content_hash(records)
  // When the origin last confirmed the records (a 200 or a 304); 0 for
  // records from the source's bundled fallback file, which are always stale.
  int64_t fetched_at_ms = 0;
  std::string etag;
  std::string last_modified;
  bool from_fallback = false;
  bool withheld = false;  // the last build served none of it: past `expire` and the refetch failed
  int64_t failed_at_ms = 0;  // the last failed refetch, 0 when the last one succeeded
  std::string last_error;

  bool has_records() const { return !records.empty(); }
};

}  // namespace isrgen
