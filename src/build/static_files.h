// Copies static/<tenant>/... to out/<tenant>/... as they are (ARCHITECTURE §1),
// atomically and only when the bytes differ, and tells which outputs exist now
// so files removed from static/ are removed from the output too.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "site/site_config.h"
#include "site/site_paths.h"
#include "util/error.h"

namespace isrgen {

struct StaticSync {
  std::map<std::string, std::string> outputs;  // output (relative to out/) -> content hash
  int written = 0;
  std::vector<Error> errors;  // files that could not be copied, or belong to no tenant
};

StaticSync copy_static_files(const SitePaths& paths, const SiteConfig& config);

}  // namespace isrgen
