#include "site/front_matter.h"

namespace isrgen {
namespace {

bool is_line(std::string_view line, std::string_view marker) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  while (line.ends_with(' ') || line.ends_with('\t')) line.remove_suffix(1);
  return line == marker;
}

}  // namespace

Result<FrontMatterSplit> split_front_matter(std::string_view text, const std::string& display_path) {
  FrontMatterSplit split;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark is not content
  size_t first_end = text.find('\n');
  if (first_end == std::string_view::npos || !is_line(text.substr(0, first_end), "---")) {
    split.body = text;
    return split;
  }
  size_t line_start = first_end + 1;
  int line_number = 2;
  while (line_start <= text.size()) {
    size_t line_end = text.find('\n', line_start);
    std::string_view line = text.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos
                                                                                      : line_end - line_start);
    if (is_line(line, "---") || is_line(line, "...")) {
      split.yaml = text.substr(first_end + 1, line_start - first_end - 1);
      split.yaml_first_line = 2;
      split.body = line_end == std::string_view::npos ? std::string_view() : text.substr(line_end + 1);
      split.body_first_line = line_number + 1;
      return split;
    }
    if (line_end == std::string_view::npos) break;
    line_start = line_end + 1;
    ++line_number;
  }
  return make_error(display_path, 1, "front matter opened with '---' is never closed: add a line '---' after it");
}

}  // namespace isrgen
