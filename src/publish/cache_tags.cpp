#include "publish/cache_tags.h"

#include <algorithm>

#include "publish/digest.h"
#include "site/dependency_tag.h"

namespace isrgen::publish {
namespace {

// Header lists separate tags by spaces (Surrogate-Key) or commas (Cache-Tag).
bool carriable(std::string_view tag) {
  if (tag.empty() || tag.size() > kMaxCacheTagLength) return false;
  return std::all_of(tag.begin(), tag.end(), [](unsigned char c) { return c > ' ' && c < 127 && c != ','; });
}

int importance(std::string_view tag) {
  const auto kind = kind_of(tag);
  if (kind == TagKind::kPage) return 0;
  if (kind == TagKind::kTenant || kind == TagKind::kLang) return 1;
  return 2;
}

}  // namespace

std::string cdn_tag(std::string_view tag) {
  if (carriable(tag)) return std::string(tag);
  return "h-" + sha256_hex(tag).substr(0, 32);
}

std::vector<std::string> cdn_tags_for_page(const std::vector<std::string>& page_tags) {
  std::vector<std::string> ordered(page_tags.begin(), page_tags.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const std::string& a, const std::string& b) { return importance(a) < importance(b); });
  std::vector<std::string> tags;
  size_t bytes = 0;
  for (const std::string& tag : ordered) {
    std::string carried = cdn_tag(tag);
    if (std::find(tags.begin(), tags.end(), carried) != tags.end()) continue;
    if (tags.size() == kMaxCacheTagsPerObject || bytes + carried.size() + 1 > kMaxCacheTagBytes) break;
    bytes += carried.size() + 1;
    tags.push_back(std::move(carried));
  }
  return tags;
}

std::pair<std::string, std::string> cache_tag_header(std::string_view cdn, const std::vector<std::string>& cdn_tags) {
  const bool fastly = cdn == "fastly";
  std::string joined;
  for (const std::string& tag : cdn_tags) joined += (joined.empty() ? "" : (fastly ? " " : ",")) + tag;
  return {fastly ? "Surrogate-Key" : "Cache-Tag", std::move(joined)};
}

}  // namespace isrgen::publish
