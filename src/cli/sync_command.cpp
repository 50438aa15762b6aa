// `isrgen sync`: pushes what changed in the output folder to a bucket or a
// folder, then purges the CDN (src/publish/).
#include <iostream>

#include "cli/commands.h"
#include "cli/console.h"
#include "cli/sync_output.h"
#include "publish/site_sync.h"
#include "site/site_paths.h"

namespace isrgen {

int sync_command(const CommonFlags& common, const SyncFlags& flags) {
  Console console(common.quiet, common.json);
  publish::SiteSyncOptions options;
  options.target = flags.target;
  options.dry_run = flags.dry_run;
  options.verify_remote = flags.verify_remote;
  options.max_deletes = flags.max_deletes;
  if (common.jobs > 0) options.parallel = common.jobs;
  auto report = publish::sync_site(make_site_paths(common.site, common.out), options);
  if (!report.ok()) {
    console.error(report.error().to_string());
    return exit_code_for(report.error());
  }
  print_sync_report(console, report.value(), common.verbose);
  if (common.json) std::cout << report.value().to_json().dump(2) << std::endl;
  return report.value().exit_code();
}

}  // namespace isrgen
