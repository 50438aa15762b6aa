// Sharded builds: a site too large for one runner is built as N shards on N
// runners, each rendering a fixed 1/N of the pages, and the parts are merged
// afterwards (engine/shard_merge.h). A page belongs to one shard by a stable
// hash of "<tenant>/<slug>", so all its languages build together and every
// runner agrees without talking to the others.
#pragma once

#include <string>
#include <string_view>

#include "util/error.h"

namespace isrgen {

constexpr int kMostShards = 256;

struct Shard {
  int index = 0;  // 1..count; 0: no sharding, every page
  int count = 0;
  bool sharded() const { return count > 0; }
  bool operator==(const Shard&) const = default;
};

// "I/N" with 1 <= I <= N <= 256; "" is no sharding. The error says what is
// expected; `where` names the flag or variable the text came from.
Result<Shard> parse_shard(std::string_view text, const std::string& where);

// "I/N", or "" for no sharding: as the state index records it.
std::string shard_text(const Shard& shard);

// Whether `shard` builds `page` ("<tenant>/<slug>"): xxh3_64 of it modulo the
// count picks the shard. Every page, when not sharded.
bool shard_owns(const Shard& shard, const std::string& page);

}  // namespace isrgen
