#include "data/env_expand.h"

#include <cctype>
#include <cstdlib>

namespace isrgen::data {
namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The length of a well-formed "${NAME}" at the start of `text`, else 0.
size_t reference_length(std::string_view text) {
  if (text.size() < 4 || text[0] != '$' || text[1] != '{' || !is_name_start(text[2])) return 0;
  size_t end = 3;
  while (end < text.size() && is_name_char(text[end])) ++end;
  return end < text.size() && text[end] == '}' ? end + 1 : 0;
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

Result<std::string> expand_env(std::string_view text, const EnvLookup& lookup) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "$$") == 0) {
      out += '$';
      i += 2;
      continue;
    }
    size_t length = reference_length(text.substr(i));
    if (length == 0) {
      out += text[i++];
      continue;
    }
    std::string name(text.substr(i + 2, length - 3));
    std::optional<std::string> value = lookup(name);
    if (!value) return make_error("", 0, "environment variable " + name + " is not set (export it where isrgen runs)");
    out += *value;
    i += length;
  }
  return out;
}

}  // namespace isrgen::data
