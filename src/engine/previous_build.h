// What the state index remembers of earlier builds, read once at the start of
// a build so that detecting changes and planning work on values: the pages
// rendered, the inputs as last seen, the last build's failures, the static
// copies, the remote sources' snapshots and the deferred pages.
//
// Two questions are answered from the index only when asked (IndexLookup):
// the recorded bytes of one input (kept for data files and site.toml, which
// may be large, and diffed only when they changed) and the pages carrying
// some tags (an indexed query; every page's tags would cost far more to load).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen {

class IndexLookup {
 public:
  IndexLookup() = default;  // an empty index: no snapshot, no page carries anything
  explicit IndexLookup(const DepIndex& index) : index_(&index) {}

  // The bytes `path` had at the last build, for inputs kept as snapshots;
  // nullopt when none was recorded or the index cannot say (the change is then
  // taken as broadly as possible).
  std::optional<std::string> snapshot_of(const std::string& path) const;

  // The pages carrying any of `tags`, each with the tags it carries (sorted);
  // a tag ending in '*' matches every tag with that prefix.
  Result<std::map<PageKey, std::vector<std::string>>> pages_with_tags(const std::vector<std::string>& tags) const;

  // Every page's asset outputs, read when a build needs to know which are still used.
  Result<std::map<PageKey, std::vector<std::string>>> page_asset_outputs() const;

 private:
  const DepIndex* index_ = nullptr;
};

struct PreviousBuild {
  std::map<PageKey, PageRecord> pages;               // without tags, inputs and reasons
  std::map<std::string, StoredInput> inputs;         // by site-relative path
  std::map<PageKey, std::string> failed;             // the last build's page errors
  std::map<std::string, StoredStaticFile> static_files;  // by output
  std::map<std::string, StoredAssetOutput> asset_outputs;  // by output
  std::map<std::string, StoredImageSize> image_sizes;      // by content hash
  std::map<std::string, SourceSnapshot> source_snapshots;  // by source name
  std::map<PageKey, DeferredPage> deferred;
  IndexLookup lookup;

  // Nothing recorded: every page is new, so no change needs detecting.
  bool is_empty() const { return pages.empty() && inputs.empty(); }
};

// Everything but the source snapshots, with a lookup that asks `index`. A
// build reads the snapshots first (DepIndex::load_source_snapshots), to start
// refetching remote sources from them while this runs, and puts them in after.
Result<PreviousBuild> load_previous_build(const DepIndex& index);

}  // namespace isrgen
