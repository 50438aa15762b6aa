// Finds the pages of a site: content/pages/<tenant>/<slug>.md for the default
// language and <slug>.<lang>.md for translations. Files that cannot be placed
// become problems attached to the page they would have been, so the rest of the
// site still builds.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "site/site_config.h"
#include "util/error.h"

namespace isrgen {

struct PageSources {
  std::string tenant;
  std::string slug;          // may contain '/'; "index" is the tenant's home
  std::string default_file;  // site-relative path; empty when only translations exist
  std::map<std::string, std::string> translations;  // language -> site-relative path

  std::string id() const { return tenant + "/" + slug; }
};

struct PageKeyOfFile {
  std::string page;  // "<tenant>/<slug>"
  std::string lang;
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

// Places page files already listed (site-relative, sorted) into pages.
PageScan place_pages(const std::vector<std::string>& page_files, const SiteConfig& config);

// The page and language a page file (path relative to the site) belongs to,
// or nullopt when the file is no page file of a configured tenant.
std::optional<PageKeyOfFile> page_of_file(const std::string& site_relative_path, const SiteConfig& config);

}  // namespace isrgen
