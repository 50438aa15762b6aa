#include "site/toml_document.h"

#include "util/text.h"

namespace isrgen {
namespace {

bool is_bare_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '+';  // '+' only starts numbers, never keys; a run "+1.5" is still two segments
}

// The offset just past the string that starts at `at` (any of TOML's four
// kinds), or text.size() when it never ends (toml++ reports that).
size_t skip_string(std::string_view text, size_t at) {
  const char quote = text[at];
  const std::string triple(3, quote);
  const bool multi_line = text.substr(at, 3) == triple;
  const bool escapes = quote == '"';
  size_t i = at + (multi_line ? 3 : 1);
  while (i < text.size()) {
    char c = text[i];
    if (escapes && c == '\\') {
      i += 2;
      continue;
    }
    if (!multi_line && c == '\n') return i;
    if (c == quote && (!multi_line || text.substr(i, 3) == triple)) {
      i += multi_line ? 3 : 1;
      // A multi-line string may end in up to two more quotes of its own.
      while (multi_line && i < text.size() && text[i] == quote) ++i;
      return i;
    }
    ++i;
  }
  return text.size();
}

// The offset where `text` first crosses a limit, and which one, or npos.
struct Crossing {
  size_t offset = std::string_view::npos;
  std::string what;
};

// A "run" is a dotted key: segments (bare words or strings) joined by dots,
// with blanks around the dots. Numbers and times make runs of one or two.
Crossing first_crossing(std::string_view text) {
  int segments = 0;
  bool after_dot = false;
  int nesting = 0;
  size_t i = 0;
  auto too_many_segments = [&] {
    segments = after_dot ? segments + 1 : 1;
    after_dot = false;
    return segments > kMaxTomlKeySegments;
  };
  const std::string long_key = "a dotted key of more than " + std::to_string(kMaxTomlKeySegments) + " parts";
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' || c == '\'') {
      if (too_many_segments()) return {i, long_key};
      i = skip_string(text, i);
    } else if (is_bare_key_char(c)) {
      if (too_many_segments()) return {i, long_key};
      while (i < text.size() && is_bare_key_char(text[i])) ++i;
    } else if (c == '.') {
      after_dot = segments > 0;
      ++i;
    } else if (c == ' ' || c == '\t') {
      ++i;
    } else {
      segments = 0;
      after_dot = false;
      if (c == '#') {
        while (i < text.size() && text[i] != '\n') ++i;
        continue;
      }
      if (c == '[' || c == '{') {
        if (++nesting > kMaxTomlNesting)
          return {i, "brackets and braces nested more than " + std::to_string(kMaxTomlNesting) + " deep"};
      } else if ((c == ']' || c == '}') && nesting > 0) {
        --nesting;
      }
      ++i;
    }
  }
  return {};
}

}  // namespace

Result<toml::table> parse_toml_document(std::string_view text, const std::string& display_path) {
  if (Crossing crossing = first_crossing(text); crossing.offset != std::string_view::npos) {
    TextPosition at = position_of(text, crossing.offset);
    return make_error(display_path, at.line, crossing.what + ": no site needs this; refused", at.column);
  }
  try {
    return toml::parse(text, display_path);
  } catch (const toml::parse_error& error) {
    return make_error(display_path, static_cast<int>(error.source().begin.line), std::string(error.description()),
                      static_cast<int>(error.source().begin.column));
  }
}

}  // namespace isrgen
