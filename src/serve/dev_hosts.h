// Where a request of the `isrgen dev` preview goes, by its Host header. Each
// tenant has a host of its own, <tenant>.localhost (browsers resolve every
// *.localhost name to the loopback), so the root-relative links, stylesheets
// and images of its pages work as on its real domain:
//
//   acme.localhost:4000, "/summer/"   -> tenant acme, "acme/summer/" in out/
//   localhost:4000 (any other host):
//       "/"                           -> the index of tenants and languages
//       "/acme/summer/?x=1"           -> redirect to http://acme.localhost:4000/summer/?x=1
//       anything else                 -> not found
//
// A path that is not clean (dot segments, empty segments, backslashes) is not
// found, so no request can name a file outside its tenant's folder.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "serve/tenant_resolution.h"
#include "site/site_config.h"

namespace isrgen::serve {

struct DevDestination {
  enum class Kind { kTenant, kIndex, kRedirect, kNotFound };
  Kind kind = Kind::kNotFound;
  TenantRoute route;     // kTenant
  std::string location;  // kRedirect: an absolute URL
};

DevDestination route_dev_request(const SiteConfig& config, std::string_view host, std::string_view path,
                                 std::string_view query);

// Whether the preview answers a request for `host` (a Host header): localhost,
// a *.localhost name, or an IP address. Any other name reaching the preview
// was made to resolve to it (DNS rebinding) by a page that would then read it
// as its own origin; the preview refuses it before it says anything.
bool is_preview_host(std::string_view host);

// "http://acme.localhost:4000": the preview's origin of a tenant, on the port
// of `host` (the Host header the browser sent), without one when it has none.
std::string tenant_origin(std::string_view tenant, std::string_view host);

}  // namespace isrgen::serve
