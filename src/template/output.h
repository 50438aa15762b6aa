// Where rendered text goes: the caller's string, plus the indentation of
// standalone partials, parents and blocks, which is added to every line that
// starts in their template text (not to line breaks inside interpolated
// values, as the spec requires, and not to empty lines).
#pragma once

#include <string>
#include <string_view>

#include "template/escape.h"

namespace isrgen::tmpl {

class Output {
 public:
  explicit Output(std::string& out) : out_(out) {}

  void literal(std::string_view text);                  // template text
  void value(std::string_view text, Escape escape);  // interpolated data

  // While alive, template lines get `piece` added to their indentation.
  // `starts_line`: the content begins a line of its own, so its first line
  // is indented too.
  class IndentScope {
   public:
    IndentScope(Output& output, std::string_view piece, bool starts_line);
    ~IndentScope();
    IndentScope(const IndentScope&) = delete;
    IndentScope& operator=(const IndentScope&) = delete;

   private:
    friend class Output;
    Output& output_;
    std::string_view piece_;
    const IndentScope* outer_;
  };

 private:
  void write_indent(const IndentScope* scope);

  std::string& out_;
  const IndentScope* indent_ = nullptr;  // innermost non-empty indentation
  bool at_line_start_ = true;            // nothing written yet on the current template line
};

}  // namespace isrgen::tmpl
