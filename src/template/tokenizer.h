// First compile step: splits a template into literal text and tags, applying
// {{=<% %>=}} delimiter changes, checking tag names and that every section,
// parent and block is closed by a matching {{/name}}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace isrgen::tmpl {

enum class TokenKind {
  kText,
  kEscaped,     // {{name}}
  kRaw,         // {{{name}}}, {{&name}}
  kSection,     // {{#name}}
  kInverted,    // {{^name}}
  kClose,       // {{/name}}
  kComment,     // {{! ... }}
  kDelimiters,  // {{=<% %>=}}
  kPartial,     // {{>name}}
  kParent,      // {{<name}}
  kBlock,       // {{$name}}
};

// Which output a token belongs to, for the standalone-line rules: the text a
// template renders where it stands is level 0; the content of each block
// passed to a parent renders inside that parent, so it is a level of its own.
inline constexpr uint32_t kRootLevel = 0;
// Text and tags directly inside a parent, which render nothing anywhere.
inline constexpr uint32_t kIgnoredLevel = UINT32_MAX;

struct Token {
  TokenKind kind = TokenKind::kText;
  size_t begin = 0;  // source range: the text, or the whole tag with its delimiters
  size_t end = 0;
  std::string_view name = {};  // tag content without sigil, padding or the '*' of a dynamic name
  bool dynamic = false;        // partial, parent, close: {{>*name}}
  bool closes_parent = false;
  // A parent's tags belong to the level around it; the tags of a block passed
  // to a parent belong to the block's own level.
  uint32_t level = kRootLevel;
  // Set by mark_standalone_lines():
  bool standalone = false;
  std::string_view indentation = {};
};

// Names may not contain whitespace; dotted names may not have empty segments.
Result<std::vector<Token>> tokenize(std::string_view source, const std::string& display_path);

// Opened sections, parents and blocks nest at most this deep.
inline constexpr size_t kMaxNesting = 100;

}  // namespace isrgen::tmpl
