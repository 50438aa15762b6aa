#include "publish/object_headers.h"

namespace isrgen::publish {
namespace {

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

HeaderList object_headers(const ObjectRules& rules, const std::vector<std::string>& cdn_tags) {
  HeaderList headers{{"Content-Type", rules.content_type}};
  if (!rules.cache_control.empty()) headers.emplace_back("Cache-Control", rules.cache_control);
  if (rules.gzip) headers.emplace_back("Content-Encoding", "gzip");
  if (!cdn_tags.empty()) {
    headers.emplace_back("x-amz-meta-cache-tag", join(cdn_tags, ","));
    headers.emplace_back("Surrogate-Key", join(cdn_tags, " "));
  }
  return headers;
}

std::string headers_text(const HeaderList& headers) {
  std::string text;
  for (const auto& [name, value] : headers) text += name + ": " + value + "\n";
  return text;
}

}  // namespace isrgen::publish
