#include "publish/object_headers.h"

#include <cctype>

#include "publish/cache_tags.h"

namespace isrgen::publish {
namespace {

// "CDN-Cache-Control" -> "x-amz-meta-cdn-cache-control": user metadata, the
// one way an S3 bucket stores a header of another name.
std::string user_metadata_name(std::string_view header) {
  std::string name = "x-amz-meta-";
  for (char c : header) name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return name;
}

}  // namespace

HeaderList object_headers(const ObjectRules& rules, std::string_view key, const CacheProfile* page_cache,
                          const std::vector<std::string>& cdn_tags) {
  HeaderList headers{{"Content-Type", rules.content_type}};
  for (auto& [name, value] : cache_headers(rules, key, page_cache)) {
    if (name == "Cache-Control") headers.emplace_back(name, value);
    else headers.emplace_back(user_metadata_name(name), value);
  }
  if (rules.gzip) headers.emplace_back("Content-Encoding", "gzip");
  if (!cdn_tags.empty()) {
    auto [name, value] = cache_tag_header(rules.cdn, cdn_tags);
    headers.emplace_back(user_metadata_name(name), std::move(value));
  }
  return headers;
}

std::string headers_text(const HeaderList& headers) {
  std::string text;
  for (const auto& [name, value] : headers) text += name + ": " + value + "\n";
  return text;
}

}  // namespace isrgen::publish
