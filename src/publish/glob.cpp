#include "publish/glob.h"

namespace isrgen::publish {

bool glob_matches(std::string_view pattern, std::string_view key) {
  if (pattern.starts_with("**")) {
    std::string_view rest = pattern.substr(2);
    if (rest.empty()) return true;
    if (rest.front() == '/') {
      rest.remove_prefix(1);
      // Try the rest at the start and after every '/'.
      for (size_t at = 0;; ++at) {
        if (glob_matches(rest, key.substr(at))) return true;
        at = key.find('/', at);
        if (at == std::string_view::npos) return false;
      }
    }
    pattern = pattern.substr(1);  // a "**" inside a segment acts as "*"
  }
  if (pattern.empty()) return key.empty();
  char head = pattern.front();
  if (head == '*') {
    for (size_t at = 0;; ++at) {
      if (glob_matches(pattern.substr(1), key.substr(at))) return true;
      if (at >= key.size() || key[at] == '/') return false;
    }
  }
  if (key.empty()) return false;
  if (head == '?' ? key.front() == '/' : head != key.front()) return false;
  return glob_matches(pattern.substr(1), key.substr(1));
}

}  // namespace isrgen::publish
