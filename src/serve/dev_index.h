// The page at http://localhost:PORT/ of `isrgen dev`: every tenant of the
// site with a link to its home page in each language, on the tenant's own
// host (dev_hosts.h), so the author starts from one bookmark.
#pragma once

#include <string>
#include <string_view>

#include "site/site_config.h"

namespace isrgen::serve {

// The index as HTML; `host` is the Host header the browser sent, whose port
// the links keep.
std::string dev_index_page(const SiteConfig& config, std::string_view host);

}  // namespace isrgen::serve
