// How a sync reads for people on stderr: its plan under --dry-run (with
// --verbose, each object uploaded or deleted), each failure, what was purged
// and one summary line. Shared by `isrgen sync` and
// the syncs of `isrgen build`, `revalidate` and `watch` with --sync.
#pragma once

#include "cli/console.h"
#include "publish/sync_run.h"

namespace isrgen {

void print_sync_report(Console& console, const publish::SyncReport& report, bool verbose);

}  // namespace isrgen
