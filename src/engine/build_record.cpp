#include "engine/build_record.h"

#include "util/crash_point.h"

namespace isrgen {

Status record_build(DepIndex::BuildTransaction& db, const BuildRecord& record, const BuildSummary& summary) {
  for (const auto& [key, error] : record.page_errors) db.set_page_error(key, error);
  if (!record.pages_recorded)
    for (const PageRecord& page : record.pages) db.put_page(page);
  for (const PageKey& key : record.removed_pages) db.remove_page(key);
  for (const DeferredPage& page : record.deferred_pages) db.put_deferred_page(page);
  for (const PageKey& key : record.undeferred_pages) db.remove_deferred_page(key);
  for (const auto& [output, file] : record.static_files) db.put_static_file(output, file);
  for (const std::string& output : record.removed_static_files) db.remove_static_file(output);
  for (const auto& [output, file] : record.asset_outputs) db.put_asset_output(output, file);
  for (const std::string& output : record.removed_asset_outputs) db.remove_asset_output(output);
  for (const auto& [hash, size] : record.image_sizes) db.put_image_size(hash, size);
  for (const SourceSnapshot& snapshot : record.source_snapshots) db.put_source_snapshot(snapshot);
  for (const SourceSnapshot& snapshot : record.source_statuses) db.update_source_status(snapshot);
  for (const std::string& source : record.removed_sources) db.remove_source_snapshot(source);
  for (const BuildRecord::Input& input : record.inputs) db.put_input(input.path, input.input, input.snapshot);
  for (const std::string& path : record.removed_inputs) db.remove_input(path);
  db.set_shard(record.shard);
  crash_point(CrashStep::kCommit);
  if (Status committed = db.commit(summary); !committed.ok()) return committed;
  crash_point(CrashStep::kCommitted);
  return Status::Ok();
}

}  // namespace isrgen
