#include "template/output.h"

#include "template/escape.h"

namespace isrgen::tmpl {

void Output::literal(std::string_view text) {
  if (text.empty()) return;
  if (indent_ == nullptr) {
    out_.append(text);
    at_line_start_ = text.back() == '\n';
    return;
  }
  while (!text.empty()) {
    size_t newline = text.find('\n');
    size_t line_size = newline == std::string_view::npos ? text.size() : newline + 1;
    std::string_view line = text.substr(0, line_size);
    if (at_line_start_ && line != "\n" && line != "\r\n") write_indent(indent_);
    out_.append(line);
    at_line_start_ = newline != std::string_view::npos;
    text.remove_prefix(line_size);
  }
}

void Output::value(std::string_view text, Escape escape) {
  if (text.empty()) return;
  if (at_line_start_ && indent_ != nullptr) write_indent(indent_);
  at_line_start_ = false;
  switch (escape) {
    case Escape::kNone: out_.append(text); return;
    case Escape::kHtml: append_html_escaped(out_, text); return;
    case Escape::kUnquotedAttribute: append_unquoted_attribute_escaped(out_, text); return;
  }
}

void Output::write_indent(const IndentScope* scope) {
  if (scope == nullptr) return;
  write_indent(scope->outer_);
  out_.append(scope->piece_);
}

Output::IndentScope::IndentScope(Output& output, std::string_view piece, bool starts_line)
    : output_(output), piece_(piece), outer_(output.indent_) {
  if (!piece.empty()) output.indent_ = this;
  if (starts_line) output.at_line_start_ = true;
}

Output::IndentScope::~IndentScope() { output_.indent_ = outer_; }

}  // namespace isrgen::tmpl
