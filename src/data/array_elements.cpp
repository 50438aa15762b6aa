#include "data/array_elements.h"

namespace isrgen::data {
namespace {

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void advance(TextPosition& at, char c) {
  if (c == '\n') {
    ++at.line;
    at.column = 1;
  } else {
    ++at.column;
  }
}

}  // namespace

std::vector<TextPosition> array_element_positions(std::string_view text) {
  std::vector<TextPosition> starts;
  TextPosition at;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  bool element_next = false;  // after the top-level '[' or a top-level ','
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (!is_json_space(c)) {
      if (element_next && c != ']') starts.push_back(at);
      element_next = false;
      switch (c) {
        case '"':
          in_string = true;
          break;
        case '[':
        case '{':
          element_next = ++depth == 1;
          break;
        case ']':
        case '}':
          --depth;
          break;
        case ',':
          element_next = depth == 1;
          break;
      }
    }
    advance(at, c);
  }
  return starts;
}

}  // namespace isrgen::data
