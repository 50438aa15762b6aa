// The HTTP headers an object is stored with: Content-Type, Cache-Control,
// Content-Encoding when gzip-compressed, a page's cache tags
// (cache_tag_header: x-amz-meta-surrogate-key for Fastly, else
// x-amz-meta-cache-tag), and the CDN's caching headers (cache_headers.h) as user metadata:
// CDN-Cache-Control as x-amz-meta-cdn-cache-control, and so on. A bucket keeps
// only a few headers of its own (Cache-Control is one); the rest it returns as
// x-amz-meta-*, which the CDN maps back to their names.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "publish/cache_headers.h"
#include "publish/deploy_config.h"

namespace isrgen::publish {

// `page_cache`: as for cache_headers().
HeaderList object_headers(const ObjectRules& rules, std::string_view key, const CacheProfile* page_cache,
                          const std::vector<std::string>& cdn_tags);

// One line per header, for remembering exactly what an object was sent with.
std::string headers_text(const HeaderList& headers);

}  // namespace isrgen::publish
