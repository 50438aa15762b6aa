// The caching headers of an object, by their HTTP names, as `isrgen sync`
// stores them and `isrgen serve` sends them:
//   a [[deploy.rules]] cache_control     that Cache-Control alone (rules override);
//   a page with a cache profile          Cache-Control for browsers (max-age = stale),
//                                        CDN-Cache-Control (RFC 9213) for CDNs
//                                        (max-age = revalidate, stale-while-revalidate
//                                        and stale-if-error = expire - revalidate), and
//                                        the same as Surrogate-Control (Fastly) or
//                                        Cloudflare-CDN-Cache-Control where the purge
//                                        provider names that CDN;
//   a fingerprinted file (name.<hex>.js) public, max-age=31536000, immutable;
//   anything else                        [deploy] cache_control, if set.
// No s-maxage: it implies proxy-revalidate, which forbids a CDN serving a stale copy.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "publish/deploy_config.h"
#include "site/cache_profile.h"

namespace isrgen::publish {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A time with no bound is sent as a year, the longest a cache keeps anything.
inline constexpr int64_t kLongestCacheSeconds = 31'536'000;

// `page_cache`: the cache profile of a page, from its metadata; null for any
// other file, or a page built before pages recorded one.
HeaderList cache_headers(const ObjectRules& rules, std::string_view key, const CacheProfile* page_cache);

// Whether the file name carries a content hash: a dot-separated part of at
// least 8 hex digits before the extension, "app.3f9a0c1d.js".
bool is_fingerprinted(std::string_view key);

}  // namespace isrgen::publish
