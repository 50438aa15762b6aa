// GitHub Flavored Markdown to HTML through cmark-gfm (tables, strikethrough,
// autolinks, tag filter, task lists). Raw HTML in Markdown is omitted unless the
// site opts in with [site] unsafe_html = true.
//
// cmark-gfm's parser is not thread-safe (its extension registry and syntax
// extension state are global), so parsing is serialised behind one mutex;
// rendering the parsed tree to HTML runs in parallel.
#pragma once

#include <string>
#include <string_view>

namespace isrgen {

class MarkdownRenderer {
 public:
  explicit MarkdownRenderer(bool unsafe_html);
  std::string to_html(std::string_view markdown) const;

 private:
  int options_;
};

}  // namespace isrgen
