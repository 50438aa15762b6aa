#include "render/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <mutex>

namespace isrgen {
namespace {

// cmark-gfm 0.29 keeps the inline parser's table of special characters in one
// global array: cmark_parser_finish adds the extensions' characters to it
// before parsing inlines and removes them after, so two documents finishing at
// once would each lose the other's (a strikethrough or table cell left as
// text). Finishing is therefore serialised. Making the parser, attaching the
// extensions and feeding it (block parsing) touch only the parser's own
// memory and the registry of extensions, read-only once registered, and run
// in parallel.
std::mutex& finish_mutex() {
  static std::mutex mutex;
  return mutex;
}

constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tagfilter", "tasklist"};

void register_extensions_once() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

struct ParsedDocument {
  cmark_parser* parser = nullptr;
  cmark_node* root = nullptr;
  ParsedDocument() = default;
  ParsedDocument(const ParsedDocument&) = delete;
  ParsedDocument& operator=(const ParsedDocument&) = delete;
  ~ParsedDocument() {
    if (root) cmark_node_free(root);
    if (parser) cmark_parser_free(parser);
  }
};

}  // namespace

MarkdownRenderer::MarkdownRenderer(bool unsafe_html)
    : options_(CMARK_OPT_DEFAULT | CMARK_OPT_GITHUB_PRE_LANG | (unsafe_html ? CMARK_OPT_UNSAFE : 0)) {
  register_extensions_once();
}

std::string MarkdownRenderer::to_html(std::string_view markdown) const {
  ParsedDocument document;
  document.parser = cmark_parser_new(options_);
  for (const char* name : kExtensions) {
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(document.parser, extension);
  }
  cmark_parser_feed(document.parser, markdown.data(), markdown.size());
  {
    std::lock_guard<std::mutex> lock(finish_mutex());
    document.root = cmark_parser_finish(document.parser);
  }
  char* html = cmark_render_html(document.root, options_, cmark_parser_get_syntax_extensions(document.parser));
  std::string out(html);
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

}  // namespace isrgen
