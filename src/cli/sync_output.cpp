#include "cli/sync_output.h"

#include <string>

namespace isrgen {
namespace {

// A dry run prints its whole plan; a real sync only its summary (the
// objects are in the --json report), so a first sync of a large site does
// not flood a CI log.
void print_plan_lines(Console& console, const publish::SyncReport& report) {
  if (report.dry_run) {
    for (const auto& upload : report.uploaded) console.note("would upload " + upload.key + " (" + upload.reason + ")");
    for (const auto& key : report.deleted) console.note("would delete " + key);
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

void print_sync_report(Console& console, const publish::SyncReport& report) {
  print_plan_lines(console, report);
  for (const auto& [key, error] : report.failed) console.error(key + ": " + error);
  if (report.pages_held_back > 0) console.error("sync: " + report.pages_held_back_reason());
  if (report.deletes_held_back > 0) console.error("sync: " + report.held_back_reason);
  console.note(std::string(report.dry_run ? "sync (dry run): " : "sync: ") + std::to_string(report.uploaded.size()) +
               " uploaded, " + std::to_string(report.deleted.size()) + " deleted, " +
               std::to_string(report.unchanged) + " unchanged, " + std::to_string(report.failed.size()) + " failed, " +
               std::to_string(report.bytes) + " bytes in " + std::to_string(report.duration_ms) + " ms to " +
               report.target);
}

}  // namespace isrgen
