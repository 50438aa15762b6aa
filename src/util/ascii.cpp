#include "util/ascii.h"

namespace isrgen {
namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (fold(a[i]) != fold(b[i])) return false;
  return true;
}

std::optional<std::string_view> find_header(const HeaderFields& headers, std::string_view name) {
  for (const auto& [header_name, value] : headers)
    if (equals_ignoring_ascii_case(header_name, name)) return std::string_view(value);
  return std::nullopt;
}

}  // namespace isrgen
