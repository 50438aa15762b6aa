// Which file of a tenant's static/ folder a URL in one of its pages names:
// "/img/a.jpg", "img/a.jpg" against the page's URL, or
// "https://<the tenant's host>/img/a.jpg". URLs elsewhere (another host,
// data:, a query or fragment) name none and are left as written.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isrgen::assets {

struct AssetReference {
  std::string path;       // below static/<tenant>/, percent-decoded: "img/a.jpg"
  bool absolute = false;  // written with the tenant's base_url: new URLs are written so too
};

// `url` as written (character references decoded), `page_url` the page's
// tenant-relative URL ("/summer/"), `base_url` the tenant's ("https://acme.example").
// Nullopt for a URL that names no file of the tenant, or climbs above its root.
std::optional<AssetReference> resolve_asset_reference(std::string_view url, std::string_view page_url,
                                                      std::string_view base_url);

// An image on another host that [images] remote_hosts lists: fetched,
// given variants and published from the tenant's own output.
struct RemoteReference {
  std::string url;  // as written, spaces trimmed
  std::string name;  // the last path segment without its extension, made safe for a file name ("hero", "image")
};

// `url` when it is an http(s) URL (no credentials) on one of `hosts` (lower
// case, matched without case and port); nullopt otherwise.
std::optional<RemoteReference> resolve_remote_reference(std::string_view url, const std::vector<std::string>& hosts);

// The URL a page writes for `path` (below static/<tenant>/), percent-encoding
// what a URL cannot hold as it is; with the base_url when `absolute`.
std::string asset_url(std::string_view path, bool absolute, std::string_view base_url);

// The lower-case extension of `path` without its dot ("jpg"), "" when none.
std::string extension_of(std::string_view path);

}  // namespace isrgen::assets
