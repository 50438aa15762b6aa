// Which tenant an origin request is for, and where in out/ its path points
// (ARCHITECTURE §4: by the Host header, else by the first path segment).
//
//   - A Host equal to the host of a tenant's base_url selects that tenant, and
//     the whole path is inside it: Host acme.example, "/summer/" -> "acme/summer/".
//     Hosts compare without regard to ASCII case; the port is compared only
//     when base_url names one (a Host without a port stands for the scheme's
//     default), so "acme.example:443" and "acme.example:8080" both match
//     "https://acme.example", the second being a local test on another port.
//   - Otherwise the first segment names the tenant, as on localhost:
//     "/acme/summer/" -> "acme/summer/", "/acme" -> "acme".
//   - An unknown tenant, or a path that is not a clean absolute path ("..",
//     "." or empty segments, backslashes, NUL), resolves to nothing, so no
//     request can name a file outside its tenant's folder.
//
// `path` is the request path already percent-decoded (HttpRequest::path).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "site/site_config.h"

namespace isrgen::serve {

struct TenantRoute {
  std::string tenant;    // "acme"
  std::string relative;  // inside out/, tenant first, no leading slash: "acme/summer/"
  bool by_host = false;  // the Host header chose the tenant

  // The URL path, in the space this request used, of an out/-relative path
  // of this tenant (a redirect's target): by Host "acme/summer/" -> "/summer/",
  // by first segment -> "/acme/summer/". Bytes that may not appear in a URL
  // path as they are (space, '?', '#', '%', non-ASCII...) are percent-encoded,
  // so the result can go into a Location header.
  std::string url_for(std::string_view out_relative) const;
};

std::optional<TenantRoute> resolve_tenant(const SiteConfig& config, std::string_view host, std::string_view path);

// A relative path ("acme/summer/", "acme/css/site.css") that stays where it
// is rooted: every segment non-empty except a trailing one, none "." or "..",
// no backslash (a separator elsewhere) and no NUL (a C string's end).
bool is_clean_relative_path(std::string_view path);

}  // namespace isrgen::serve
