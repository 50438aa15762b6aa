// A page's cache profile: the tightest of its own (front matter `cache:`, else
// [cache] default), its components' (`cache:`) and the remote sources they
// show, so that no copy of the page outlives the data on it.
#pragma once

#include "site/cache_profile.h"
#include "site/page_file.h"
#include "site/site_config.h"
#include "util/error.h"

namespace isrgen {

// An unknown profile name fails the page at the line that names it.
Result<CacheProfile> page_cache_profile(const SiteConfig& config, const PageFile& file);

}  // namespace isrgen
