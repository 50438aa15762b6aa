// Feeds rendered HTML to the asset scanner and rewriter: pages carry whatever
// authors and data records put in them. Checks that every tag found lies
// within the page, in order, and that rewriting a page whose references name
// no usable file leaves it byte for byte as it was.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "assets/asset_rewriter.h"
#include "assets/html_scan.h"

namespace {

isrgen::assets::AssetPipeline& pipeline() {
  static isrgen::SiteConfig config;
  // Files that exist but make no variant (not an image): every image reference
  // is then a warning, and the page must come back unchanged.
  static isrgen::assets::AssetPipeline instance(
      config, "/nonexistent-isrgen-fuzz-cache",
      [](const std::string& path) -> std::optional<std::string> {
        if (path == "static/acme/img/a.jpg" || path == "static/acme/css/site.css") return "0123456789abcdef";
        return std::nullopt;
      },
      [](const std::string&, int64_t, const std::string&) -> isrgen::Result<std::string> { return std::string("x"); },
      {});
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  size_t last_end = 0;
  for (const isrgen::assets::HtmlTag& tag : isrgen::assets::find_tags(html, {"img", "link", "script"})) {
    if (tag.begin < last_end || tag.end <= tag.begin || tag.end > html.size() || html[tag.begin] != '<') std::abort();
    if (tag.attributes.size() > isrgen::assets::kMaxAttributes) std::abort();
    last_end = tag.end;
  }
  isrgen::SiteConfig config;
  config.images.formats.clear();
  auto page = isrgen::assets::rewrite_asset_references(
      html, {"acme", "https://acme.example", "/summer/", "content/pages/acme/summer.md"}, pipeline(), config.images);
  // Only stylesheets and scripts can change (their fingerprinted URLs).
  if (page.outputs.empty() && page.html != html) std::abort();
  return 0;
}
