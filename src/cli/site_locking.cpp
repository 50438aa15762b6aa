#include <cstdio>

#include "cli/commands.h"
#include "site/site_paths.h"

namespace isrgen {

Result<std::unique_ptr<SiteLock>> lock_site(const CommonFlags& common, const std::string& command) {
  SitePaths paths = make_site_paths(common.site, common.out);
  return SiteLock::acquire(paths.state, command, std::chrono::seconds(common.wait_seconds),
                           [](const std::string& holder) {
                             std::fprintf(stderr, "waiting for the site, in use by %s\n", holder.c_str());
                           });
}

}  // namespace isrgen
