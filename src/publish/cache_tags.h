// A page's dependency tags as CDN cache tags on its object (Surrogate-Key,
// space-separated, for Fastly; Cache-Tag, comma-separated, for the others).
// CDNs limit
// them: at most 50 tags per object, each at most 256 bytes from a small
// alphabet, and S3 keeps at most 2 KB of user metadata. Tags that are too long
// or carry other characters are replaced by a hash; the page's own tags
// (page:, tenant:, lang:) come first so the cap never drops them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace isrgen::publish {

constexpr size_t kMaxCacheTagsPerObject = 50;
constexpr size_t kMaxCacheTagLength = 256;
constexpr size_t kMaxCacheTagBytes = 1800;  // of the joined header value, under S3's 2 KB of metadata

// The tag as a CDN can carry it: itself, or "h-" and 32 hex digits of its SHA-256.
std::string cdn_tag(std::string_view tag);

// The tags an object carries, in order of importance, capped.
std::vector<std::string> cdn_tags_for_page(const std::vector<std::string>& page_tags);

// The one header that carries `cdn_tags` to the CDN `cdn` ([deploy.purge]
// provider): {"Surrogate-Key", "a b"} for "fastly", else {"Cache-Tag", "a,b"}.
// One header, not both: in a bucket it is user metadata, 2 KB in all.
std::pair<std::string, std::string> cache_tag_header(std::string_view cdn, const std::vector<std::string>& cdn_tags);

}  // namespace isrgen::publish
