// `isrgen build --verify`: the users' proof that incremental output is right.
// Builds the site afresh (no state) into a temporary folder and compares every
// output file with the incremental output: HTML and static files byte for
// byte, metadata without its generated_at time.
#pragma once

#include <string>
#include <vector>

#include "site/site_paths.h"
#include "util/clock.h"
#include "util/error.h"

namespace isrgen {

// Differences, e.g. "acme/x/index.html: differs", "acme/y/index.html: missing
// from the incremental output"; empty when the outputs agree.
Result<std::vector<std::string>> verify_against_fresh_build(const SitePaths& paths, int jobs, const Clock& clock);


}  // namespace isrgen
