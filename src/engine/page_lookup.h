// The ISR origin's question before it serves a URL that has no file in the
// output yet: is a page of the site published there, and has it been rendered?
// Answered from the state index alone (two indexed queries), without a build,
// so it is cheap enough to ask per request. The index knows the pages the last
// build saw: a page file added since is unknown until a build (or isrgen
// watch) has run.
#pragma once

#include <string>

#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen {

enum class PageAvailability {
  kRendered,  // the page has been rendered (its output may still be being written by a build)
  kDeferred,  // prerender = "high" left it for its first request: run_build with its URL in `urls`
  kNotAPage,  // no page of the site publishes at that URL (or the tenant is unknown)
};

// `tenant_url` is tenant-relative ("/summer/"; "/summer" and
// "/summer/index.html" mean the same).
Result<PageAvailability> page_availability(const DepIndex& index, const std::string& tenant,
                                           const std::string& tenant_url);

}  // namespace isrgen
