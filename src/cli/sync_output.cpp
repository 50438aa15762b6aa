#include "cli/sync_output.h"

#include <string>

namespace isrgen {
namespace {

// A dry run prints its whole plan; a real sync only its summary (the
// objects are in the --json report) unless --verbose asks for each, so a
// first sync of a large site does not flood a CI log.
void print_plan_lines(Console& console, const publish::SyncReport& report, bool verbose) {
  if (report.dry_run || verbose) {
    const std::string uploaded = report.dry_run ? "would upload " : "uploaded ";
    const std::string deleted = report.dry_run ? "would delete " : "deleted ";
    for (const auto& upload : report.uploaded) console.note(uploaded + upload.key + " (" + upload.reason + ")");
    for (const auto& key : report.deleted) console.note(deleted + key);
    for (const auto& key : report.retained)
      console.note((report.dry_run ? "would keep " : "kept ") + key + " (fingerprinted: deleted by the next sync)");
  }
  std::string purge = std::to_string(report.purge.paths.size()) + " paths and " +
                      std::to_string(report.purge.tags.size()) + " tags";
  if (report.dry_run && report.purges && !report.purge.empty()) console.note("would purge " + purge);
  if (report.purged) console.note("purged " + purge);
  if (!report.warmed.empty()) {
    size_t warmed = 0, skipped = 0;
    for (const auto& url : report.warmed) {
      warmed += url.outcome == "warmed";
      skipped += url.outcome == "skipped";
    }
    console.note("warmed " + std::to_string(warmed) + " of " + std::to_string(report.warmed.size()) + " pages (" +
                 std::to_string(report.warmed.size() - warmed - skipped) + " failed, " + std::to_string(skipped) +
                 " skipped)");
  }
}

}  // namespace

void print_sync_report(Console& console, const publish::SyncReport& report, bool verbose) {
  print_plan_lines(console, report, verbose);
  for (const auto& [key, error] : report.failed) console.error(key + ": " + error);
  if (report.pages_held_back > 0) console.error("sync: " + report.pages_held_back_reason());
  if (report.deletes_held_back > 0) console.error("sync: " + report.held_back_reason);
  console.note(std::string(report.dry_run ? "sync (dry run): " : "sync: ") + std::to_string(report.uploaded.size()) +
               " uploaded, " + std::to_string(report.deleted.size()) + " deleted, " +
               (report.retained.empty() ? "" : std::to_string(report.retained.size()) + " retained, ") +
               std::to_string(report.unchanged) + " unchanged, " + std::to_string(report.failed.size()) + " failed, " +
               std::to_string(report.bytes) + " bytes in " + std::to_string(report.duration_ms) + " ms to " +
               report.target);
}

}  // namespace isrgen
