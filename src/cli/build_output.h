// How a build reads for people on stderr beyond its summary line: its
// failures grouped by cause ("file:line: message", with the number of pages a
// shared input holds back), the warnings of the pages it rendered, a warning
// per remote source it could not refresh, and with --verbose each rendered and
// deleted file. Shared by `isrgen build`, `revalidate` and `watch`.
#pragma once

#include "cli/console.h"
#include "engine/build_report.h"

namespace isrgen {

// Failures, warnings and degraded sources; `verbose` lists the pages each
// shared failure holds back.
void print_build_problems(Console& console, const BuildReport& report, bool verbose);

// "rendered acme/summer/index.html (tag:models:m-12)" per page rendered and
// "deleted acme/old/index.html" per output removed: what --verbose adds.
void print_build_files(Console& console, const BuildReport& report);

}  // namespace isrgen
