// Finds the pages of a site: content/pages/<tenant>/<slug>.md for the default
// language and <slug>.<lang>.md for translations. Files that cannot be placed
// become problems attached to the page they would have been, so the rest of the
// site still builds.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "site/site_config.h"
#include "site/site_paths.h"
#include "util/error.h"

namespace isrgen {

struct PageSources {
  std::string tenant;
  std::string slug;          // may contain '/'; "index" is the tenant's home
  std::string default_file;  // site-relative path; empty when only translations exist
  std::map<std::string, std::string> translations;  // language -> site-relative path

  std::string id() const { return tenant + "/" + slug; }
};

struct ScanProblem {
  std::string page;  // "<tenant>/<slug>"
  std::string lang;
  Error error;
};

struct PageScan {
  std::vector<PageSources> pages;  // sorted by id
  std::vector<ScanProblem> problems;
};

PageScan scan_pages(const SitePaths& paths, const SiteConfig& config);

}  // namespace isrgen
