#include "reference_build.h"

#include "engine/builder.h"
#include "site/site_paths.h"
#include "util/clock.h"

namespace isrgen::testing {

ReferenceBuild fresh_full_build(const fs::path& site, const fs::path& into) {
  fs::remove_all(into / "out");
  fs::remove_all(into / ".isrgen");
  SitePaths paths = make_site_paths(site, into / "out");
  paths.state = into / ".isrgen";
  BuildOptions options;
  options.force = true;
  // The clock of the binary as well; only `generated_at` shows it, and the
  // comparisons of output trees leave that out.
  SystemClock clock;
  ReferenceBuild reference;
  Result<BuildReport> report = run_build(paths, options, clock);
  if (!report.ok()) {
    reference.error = "the reference build failed: " + report.error().to_string();
  } else if (report.value().exit_code() != 0) {
    reference.error = "the reference build failed pages: " + report.value().to_json().dump(2);
  }
  reference.out = OutputTree::read(paths.out);
  return reference;
}

}  // namespace isrgen::testing
