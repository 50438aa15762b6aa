#include "template/standalone.h"

#include <algorithm>
#include <span>

namespace isrgen::tmpl {

namespace {

bool is_indent_char(char c) { return c == ' ' || c == '\t'; }

// Spaces and tabs only, allowing the line's own "\n" or "\r\n" at the end.
bool is_blank(std::string_view text) {
  if (!text.empty() && text.back() == '\n') {
    text.remove_suffix(1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  }
  return std::all_of(text.begin(), text.end(), is_indent_char);
}

std::string_view leading_indentation(std::string_view text) {
  return text.substr(0, std::min(text.size(), text.find_first_not_of(" \t")));
}

bool renders_in_place(TokenKind kind) { return kind == TokenKind::kEscaped || kind == TokenKind::kRaw; }

// One source line: [begin, end) with `end` just past its line break, and the
// tokens that overlap it (text tokens may reach into the lines around it).
struct Line {
  std::string_view source;
  size_t begin;
  size_t end;
  std::span<Token> tokens;

  std::string_view part_of(const Token& text) const {
    size_t from = std::max(text.begin, begin);
    size_t to = std::min(text.end, end);
    return source.substr(from, to - from);
  }

  // Removes this line's part from a text token. Only the first and last
  // tokens reach outside the line, so the part is a prefix or a suffix.
  void cut_from(Token& text) const {
    size_t from = std::max(text.begin, begin);
    size_t to = std::min(text.end, end);
    if (from == text.begin) {
      text.begin = to;
    } else {
      text.end = from;
    }
  }
};

// Judges the part of `line` that belongs to `level`, which has a tag there:
// standalone when it holds blank text and a single tag, a parent and its
// close tag counting as one.
void settle_level(const Line& line, uint32_t level) {
  Token* first_tag = nullptr;
  size_t counted_tags = 0;
  bool silent = true;
  for (Token& token : line.tokens) {
    if (token.level != level) continue;
    if (token.kind == TokenKind::kText) {
      silent = silent && is_blank(line.part_of(token));
      continue;
    }
    silent = silent && !renders_in_place(token.kind);
    if (first_tag == nullptr) first_tag = &token;
    if (!token.closes_parent) ++counted_tags;
  }
  std::string_view leading = line.source.substr(line.begin, first_tag->begin - line.begin);
  if (!is_blank(leading)) leading = {};

  if (!silent || counted_tags > 1) {
    // A block that opens its line after nothing but whitespace is indented by
    // it: the literal whitespace indents its first line, this its other lines.
    if (first_tag->kind == TokenKind::kBlock) first_tag->indentation = leading;
    return;
  }
  for (Token& token : line.tokens) {
    if (token.level != level) continue;
    if (token.kind == TokenKind::kText) {
      line.cut_from(token);
      continue;
    }
    token.standalone = true;
    if (token.kind == TokenKind::kPartial || token.kind == TokenKind::kParent) token.indentation = leading;
    // A standalone block's content starts on the next line, whose
    // indentation is the block's own.
    if (token.kind == TokenKind::kBlock) token.indentation = leading_indentation(line.source.substr(line.end));
  }
}

// Judges each level with a tag on the line, once.
void settle_line(const Line& line) {
  auto is_tag_of = [](uint32_t level) {
    return [level](const Token& token) { return token.kind != TokenKind::kText && token.level == level; };
  };
  for (size_t i = 0; i < line.tokens.size(); ++i) {
    const Token& token = line.tokens[i];
    if (token.kind == TokenKind::kText || token.level == kIgnoredLevel) continue;
    std::span<Token> earlier = line.tokens.first(i);
    if (std::none_of(earlier.begin(), earlier.end(), is_tag_of(token.level))) settle_level(line, token.level);
  }
}

}  // namespace

void mark_standalone_lines(std::string_view source, std::vector<Token>& tokens) {
  if (tokens.empty()) return;
  std::span<Token> all(tokens);
  size_t line_begin = 0;
  size_t first = 0;  // index of the first token overlapping the current line
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind != TokenKind::kText) continue;
    size_t newline = source.find('\n', std::max(tokens[i].begin, line_begin));
    for (; newline < tokens[i].end; newline = source.find('\n', line_begin)) {
      settle_line(Line{source, line_begin, newline + 1, all.subspan(first, i - first + 1)});
      line_begin = newline + 1;
      first = i;
    }
  }
  settle_line(Line{source, line_begin, source.size(), all.subspan(first)});
}

}  // namespace isrgen::tmpl
