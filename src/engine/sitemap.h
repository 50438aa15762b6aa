// A tenant's sitemap (sitemaps.org protocol 0.9): out/<id>/sitemap.xml lists
// every page in every language at its permalink, each with its last
// modification (when its HTML last changed, as the state index records it)
// and, for a page in more than one language, an xhtml:link alternate per
// language including its own, plus x-default for the default language, so
// that every pair of languages points both ways (Google's hreflang rules).
// Past the protocol's limits of one file (50,000 URLs or 50 MiB) the URLs go
// to sitemap-1.xml, sitemap-2.xml, ... and sitemap.xml becomes their index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "site/site_config.h"

namespace isrgen {

inline constexpr const char* kSitemapName = "sitemap.xml";

// One URL of the sitemap: a page variant.
struct SitemapEntry {
  std::string page;        // "<tenant>/<slug>": the variants of one page are alternates of each other
  std::string lang;
  std::string url;         // tenant-relative: "/summer/", "/de/summer/"
  int64_t modified_ms = 0;  // when its HTML last changed; 0: never rendered (a deferred page), no lastmod
};

// The protocol's limits of one sitemap file; tests make them small.
struct SitemapLimits {
  size_t max_urls = 50'000;
  size_t max_bytes = 50 * 1024 * 1024;
};

struct SitemapFile {
  std::string name;   // relative to the tenant's folder: "sitemap.xml", "sitemap-1.xml"
  std::string bytes;
};

// The files of `tenant`'s sitemap, URLs sorted, the same entries giving the
// same bytes: sitemap.xml alone, or past `limits` the index sitemap.xml and its
// parts sitemap-<n>.xml (each within the limits).
std::vector<SitemapFile> sitemap_files(const TenantConfig& tenant, const std::string& default_language,
                                       std::vector<SitemapEntry> entries, const SitemapLimits& limits = {});

// "sitemap-<n>.xml" for n >= 1.
std::string sitemap_part_name(size_t n);

// Whether `output` (relative to out/) is a tenant's sitemap or one of its
// parts: "acme/sitemap.xml", "acme/sitemap-2.xml".
bool is_sitemap_output(std::string_view output);

// A sitemap's bytes without its <lastmod> elements: what two builds of the
// same site agree on (a fresh build dates every page now), for --verify.
std::string sitemap_without_lastmod(std::string_view xml);

}  // namespace isrgen
