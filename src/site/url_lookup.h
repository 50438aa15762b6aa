// Which tenant and tenant-relative URL a user means: an absolute URL on a
// tenant's base_url ("https://acme.example/summer/"), or a path whose first
// segment is the tenant ("/acme/summer/", as served on localhost).
#pragma once

#include <string>

#include "site/site_config.h"
#include "util/error.h"

namespace isrgen {

struct TenantUrl {
  std::string tenant;
  std::string url;  // "/summer/"
};

Result<TenantUrl> resolve_url(const SiteConfig& config, const std::string& url);

// A tenant-relative path as page URLs are written: "/summer", "summer/" and
// "/summer/index.html" mean "/summer/"; a query or fragment is dropped.
std::string normalise_path(std::string path);

}  // namespace isrgen
