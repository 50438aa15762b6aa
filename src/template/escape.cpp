#include "template/escape.h"

#include <array>

namespace isrgen::tmpl {

namespace {

// The replacement for each byte; empty for bytes copied as they are.
constexpr std::array<std::string_view, 256> make_entities() {
  std::array<std::string_view, 256> entities{};
  entities['&'] = "&amp;";
  entities['<'] = "&lt;";
  entities['>'] = "&gt;";
  entities['"'] = "&quot;";
  entities['\''] = "&#39;";
  return entities;
}

constexpr std::array<std::string_view, 256> make_unquoted_attribute_entities() {
  std::array<std::string_view, 256> entities = make_entities();
  entities[' '] = "&#32;";
  entities['\t'] = "&#9;";
  entities['\n'] = "&#10;";
  entities['\f'] = "&#12;";
  entities['\r'] = "&#13;";
  entities['='] = "&#61;";
  entities['`'] = "&#96;";
  return entities;
}

constexpr std::array<std::string_view, 256> kEntities = make_entities();
constexpr std::array<std::string_view, 256> kUnquotedAttributeEntities = make_unquoted_attribute_entities();

void append_replaced(std::string& out, std::string_view text, const std::array<std::string_view, 256>& entities) {
  // Copies runs of safe bytes in one append each rather than byte by byte.
  size_t run_begin = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    std::string_view entity = entities[static_cast<unsigned char>(text[i])];
    if (entity.empty()) continue;
    out.append(text.data() + run_begin, i - run_begin);
    out.append(entity);
    run_begin = i + 1;
  }
  out.append(text.data() + run_begin, text.size() - run_begin);
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) { append_replaced(out, text, kEntities); }

void append_unquoted_attribute_escaped(std::string& out, std::string_view text) {
  append_replaced(out, text, kUnquotedAttributeEntities);
}

}  // namespace isrgen::tmpl
