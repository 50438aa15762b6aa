// Which file of a tenant's static/ folder a URL in one of its pages names:
// "/img/a.jpg", "img/a.jpg" against the page's URL, or
// "https://<the tenant's host>/img/a.jpg". URLs elsewhere (another host,
// data:, a query or fragment) name none and are left as written.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

// The URL a page writes for `path` (below static/<tenant>/), percent-encoding
// what a URL cannot hold as it is; with the base_url when `absolute`.
std::string asset_url(std::string_view path, bool absolute, std::string_view base_url);

// The lower-case extension of `path` without its dot ("jpg"), "" when none.
std::string extension_of(std::string_view path);

}  // namespace isrgen::assets
