#include "template/tokenizer.h"

#include "util/text.h"

namespace isrgen::tmpl {

namespace {

TokenKind kind_for_sigil(char sigil) {
  switch (sigil) {
    case '#': return TokenKind::kSection;
    case '^': return TokenKind::kInverted;
    case '/': return TokenKind::kClose;
    case '!': return TokenKind::kComment;
    case '=': return TokenKind::kDelimiters;
    case '>': return TokenKind::kPartial;
    case '<': return TokenKind::kParent;
    case '$': return TokenKind::kBlock;
    case '&':
    case '{': return TokenKind::kRaw;
    default: return TokenKind::kEscaped;
  }
}

bool opens_body(TokenKind kind) {
  return kind == TokenKind::kSection || kind == TokenKind::kInverted || kind == TokenKind::kParent ||
         kind == TokenKind::kBlock;
}

// Only these tags may carry the '*' of a dynamic name.
bool may_be_dynamic(TokenKind kind) {
  return kind == TokenKind::kPartial || kind == TokenKind::kParent || kind == TokenKind::kClose;
}

bool names_context_path(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEscaped:
    case TokenKind::kRaw:
    case TokenKind::kSection:
    case TokenKind::kInverted: return true;
    case TokenKind::kPartial:
    case TokenKind::kParent: return token.dynamic;
    default: return false;
  }
}

// "." alone, or segments joined by single dots.
bool is_valid_path(std::string_view name) {
  if (name == ".") return true;
  return name.front() != '.' && name.back() != '.' && name.find("..") == std::string_view::npos;
}

std::string written_name(const Token& token) { return (token.dynamic ? "*" : "") + std::string(token.name); }

struct Delimiters {
  std::string open = "{{";
  std::string close = "}}";
};

class Tokenizer {
 public:
  Tokenizer(std::string_view source, const std::string& display_path) : source_(source), display_path_(display_path) {}

  Result<std::vector<Token>> run() {
    size_t pos = 0;
    while (pos < source_.size()) {
      size_t open = source_.find(delimiters_.open, pos);
      if (open == std::string_view::npos) open = source_.size();
      if (open > pos)
        tokens_.push_back(Token{.kind = TokenKind::kText, .begin = pos, .end = open, .level = content_level()});
      if (open == source_.size()) break;
      Result<size_t> tag_end = read_tag(open);
      if (!tag_end) return tag_end.error();
      pos = tag_end.value();
    }
    if (!open_.empty()) {
      const Token& unclosed = tokens_[open_.back()];
      return error_at(unclosed.begin, "unclosed section '" + written_name(unclosed) + "'");
    }
    return std::move(tokens_);
  }

 private:
  // Reads the tag whose opening delimiter is at `open`; returns where it ends.
  Result<size_t> read_tag(size_t open) {
    size_t content_begin = open + delimiters_.open.size();
    char sigil = content_begin < source_.size() ? source_[content_begin] : '\0';
    Token token{.kind = kind_for_sigil(sigil), .begin = open};
    if (token.kind != TokenKind::kEscaped) ++content_begin;
    std::string closing = delimiters_.close;
    if (sigil == '{' || sigil == '=') closing.insert(closing.begin(), sigil == '{' ? '}' : '=');
    size_t close = source_.find(closing, content_begin);
    if (close == std::string_view::npos) return error_at(open, "unclosed tag");
    token.end = close + closing.size();
    std::string_view content = trim(source_.substr(content_begin, close - content_begin));

    if (token.kind == TokenKind::kDelimiters) {
      if (!set_delimiters(content)) return error_at(open, "invalid delimiters");
    } else if (token.kind != TokenKind::kComment) {
      Status named = read_name(content, token);
      if (!named.ok()) return named.error();
    }
    Status placed = place(token);
    if (!placed.ok()) return placed.error();
    tokens_.push_back(token);
    return token.end;
  }

  Status read_name(std::string_view content, Token& token) const {
    if (may_be_dynamic(token.kind) && !content.empty() && content.front() == '*') {
      token.dynamic = true;
      content = trim(content.substr(1));
    }
    token.name = content;
    if (content.empty()) return error_at(token.begin, "empty tag name");
    bool has_space = content.find_first_of(kAsciiWhitespace) != std::string_view::npos;
    if (has_space || (names_context_path(token) && !is_valid_path(content)))
      return error_at(token.begin, "invalid tag name '" + std::string(content) + "'");
    return Status::Ok();
  }

  uint32_t content_level() const {
    if (open_.empty()) return kRootLevel;
    const Token& container = tokens_[open_.back()];
    return container.kind == TokenKind::kParent ? kIgnoredLevel : container.level;
  }

  // Sets the token's level and keeps the stack of open sections, parents and
  // blocks, checking that each close tag matches.
  Status place(Token& token) {
    if (token.kind == TokenKind::kClose) return close_section(token);
    token.level = level_of(token);
    if (!opens_body(token.kind)) return Status::Ok();
    if (open_.size() == kMaxNesting)
      return error_at(token.begin, "sections nested more than " + std::to_string(kMaxNesting) + " deep");
    open_.push_back(tokens_.size());
    return Status::Ok();
  }

  uint32_t level_of(const Token& token) const {
    // A block passed to a parent starts a level of its own, numbered by its
    // index + 1: unique, never the root's 0, and below kIgnoredLevel because
    // templates are far smaller than 4 GiB.
    bool passed_to_parent = content_level() == kIgnoredLevel && token.kind == TokenKind::kBlock;
    return passed_to_parent ? static_cast<uint32_t>(tokens_.size()) + 1 : content_level();
  }

  Status close_section(Token& token) {
    if (open_.empty())
      return error_at(token.begin, "unexpected closing tag '" + written_name(token) + "' (no section is open)");
    const Token& opener = tokens_[open_.back()];
    if (opener.name != token.name || opener.dynamic != token.dynamic)
      return error_at(token.begin, "unexpected closing tag '" + written_name(token) + "' (open section is '" +
                                       written_name(opener) + "')");
    token.closes_parent = opener.kind == TokenKind::kParent;
    token.level = opener.level;
    open_.pop_back();
    return Status::Ok();
  }

  // `content` is what sits between "{{=" and "=}}": two delimiters separated
  // by whitespace, neither containing whitespace or '='.
  bool set_delimiters(std::string_view content) {
    size_t gap = content.find_first_of(kAsciiWhitespace);
    if (gap == std::string_view::npos) return false;
    std::string_view open = content.substr(0, gap);
    std::string_view close = trim(content.substr(gap));
    auto usable = [](std::string_view delimiter) {
      return !delimiter.empty() && delimiter.find_first_of(kAsciiWhitespace) == std::string_view::npos &&
             delimiter.find('=') == std::string_view::npos;
    };
    if (!usable(open) || !usable(close)) return false;
    delimiters_ = Delimiters{std::string(open), std::string(close)};
    return true;
  }

  Error error_at(size_t offset, std::string message) const {
    TextPosition position = position_of(source_, offset);
    return Error{display_path_, position.line, position.column, std::move(message)};
  }

  std::string_view source_;
  const std::string& display_path_;
  Delimiters delimiters_;
  std::vector<Token> tokens_;
  std::vector<size_t> open_;  // indexes into tokens_ of the sections not yet closed
};

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view source, const std::string& display_path) {
  return Tokenizer(source, display_path).run();
}

}  // namespace isrgen::tmpl
