// What a build learned, as changes to the state index, gathered while the
// build runs and written in one transaction (the pages rendered as they
// finish, engine/page_record_writer.h; the rest at the end): either all of it
// is recorded, or (a failed or killed build) none of it, and the next build
// starts again from what the last one recorded.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "state/dep_index.h"

namespace isrgen {

struct BuildRecord {
  std::vector<PageRecord> pages;                // rendered: their rows are replaced
  bool pages_recorded = false;                  // `pages` are in the transaction already (PageRecordWriter)
  std::vector<PageKey> removed_pages;           // no longer in the site
  std::map<PageKey, std::string> page_errors;   // this build's failures (the last build's are dropped)
  std::vector<DeferredPage> deferred_pages;     // deferred now and not recorded so yet
  std::vector<PageKey> undeferred_pages;        // deferred no more
  std::map<std::string, StoredStaticFile> static_files;  // copied, or their copies changed; by output
  std::vector<std::string> removed_static_files;
  std::map<std::string, StoredAssetOutput> asset_outputs;  // published, or their copies changed; by output
  std::vector<std::string> removed_asset_outputs;          // no page uses them any more
  std::map<std::string, StoredImageSize> image_sizes;      // read by this build; by content hash
  struct Input {
    std::string path;
    StoredInput input;
    std::optional<std::string> snapshot;  // the bytes, for inputs whose changes are diffed
  };
  std::vector<Input> inputs;  // changed (or read again) since the last build
  std::vector<std::string> removed_inputs;
  std::vector<SourceSnapshot> source_snapshots;  // with new records
  std::vector<SourceSnapshot> source_statuses;   // records unchanged: the rest of the row only
  std::vector<std::string> removed_sources;
  std::string shard;  // the shard the index holds now ("2/4"); "" for the whole site
};

// Writes `record` and `summary` (the builds log) in `transaction`, opened
// before the build deleted anything, and commits it between the crash points
// kCommit and kCommitted (util/crash_point.h). An error means nothing of it
// was kept.
Status record_build(DepIndex::BuildTransaction& transaction, const BuildRecord& record, const BuildSummary& summary);

}  // namespace isrgen
