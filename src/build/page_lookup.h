// The ISR origin's question before it serves a URL that has no file in the
// output yet: is a page of the site published there, and has it been rendered?
// Answered from the state index alone (two indexed queries), without a build,
// so it is cheap enough to ask per request. The index knows the pages the last
// build saw: a page file added since is unknown until a build (or isrgen
// watch) has run.
#pragma once

#include <string>

#include "site/site_config.h"
#include "site/site_paths.h"
#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen {

enum class PageAvailability {
  kRendered,  // the page has been rendered (its output may still be being written by a build)
  kDeferred,  // prerender = "high" left it for its first request: run_build with render_urls
  kNotAPage,  // no page of the site publishes at that URL (or the tenant is unknown)
};

const char* availability_name(PageAvailability availability);  // "rendered", "deferred", "not a page"

// `tenant_url` is tenant-relative ("/summer/"; "/summer" and
// "/summer/index.html" mean the same).
Result<PageAvailability> page_availability(const DepIndex& index, const std::string& tenant,
                                           const std::string& tenant_url);

// Opens the site's state index for one question; an error when no build has
// made one yet. A server asking often keeps a DepIndex open instead (its
// queries are read-only and, in WAL mode, never wait for a running build).
Result<PageAvailability> page_availability(const SitePaths& paths, const SiteConfig& config,
                                           const std::string& tenant, const std::string& tenant_url);

}  // namespace isrgen
