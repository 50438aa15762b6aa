// How a build reads for people on stderr beyond its summary line: its failed
// pages as "file:line: message", the warnings of the pages it rendered, and a
// warning per remote source it could not refresh. Shared by `isrgen build`, `revalidate` and `watch`.
#pragma once

#include "cli/console.h"
#include "engine/build_report.h"

namespace isrgen {

void print_build_problems(Console& console, const BuildReport& report);

}  // namespace isrgen
