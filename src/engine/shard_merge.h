// `isrgen merge-state`: the parts of a sharded build (engine/shard.h), each
// built in a folder of its own, combined into one site folder: their page
// outputs copied into its output, their state indexes merged into its index,
// as if one build had rendered every page there.
#pragma once

#include <cstdint>
#include <vector>

#include "site/site_paths.h"
#include "util/error.h"

namespace isrgen {

struct MergeReport {
  int shards = 0;
  int pages = 0;   // page variants recorded, deferred ones included
  int copied = 0;  // files copied into the output
};

// Merges `parts` into `into`, which holds the same site and no build yet.
// Refused (before anything is written) unless the parts are every shard 1..N
// of one count exactly once, were built from the same inputs and the same
// remote data, and record disjoint pages. The files are copied atomically,
// then the index is written in one transaction, its stat signatures those of
// the copies (inputs are hashed again by the next build); a failure between
// the two leaves outputs no index records, which the next build renders.
Result<MergeReport> merge_shards(const SitePaths& into, const std::vector<SitePaths>& parts, int64_t now_ms);

}  // namespace isrgen
