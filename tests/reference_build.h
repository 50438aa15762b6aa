// The oracle of the differential and crash-safety tests: what a fresh full
// build of a site's current sources writes. It runs in the test process
// (run_build, forced, with no state) rather than as the isrgen binary: the
// builds under test stay the binary users run, while the reference costs no
// process start and leaves the site folder alone.
#pragma once

#include <string>

#include "output_tree.h"
#include "test_support.h"

namespace isrgen::testing {

struct ReferenceBuild {
  OutputTree out;     // everything the build wrote
  std::string error;  // "" when the build succeeded and no page failed, else why not
};

// Builds the sources of `site` into <into>/out, with its state in
// <into>/.isrgen; both folders are emptied first, so nothing of an earlier
// build is seen, and nothing under `site` is written.
ReferenceBuild fresh_full_build(const fs::path& site, const fs::path& into);

}  // namespace isrgen::testing
