// Feeds a whole page file (YAML front matter, sections, Markdown body) to
// parse_page_file, then the body it accepted to the Markdown renderer both
// with and without raw HTML: authors write these files by hand.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "render/markdown.h"
#include "site/page_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto page = isrgen::parse_page_file(text, "content/pages/acme/fuzz.md");
  if (!page) {
    (void)page.error().to_string();
    return 0;
  }
  static const isrgen::MarkdownRenderer safe(false);
  static const isrgen::MarkdownRenderer unsafe(true);
  (void)safe.to_html(page.value().body);
  (void)unsafe.to_html(page.value().body);
  return 0;
}
