#include "serve/headers.h"

#include "util/ascii.h"

namespace isrgen::serve {

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [header_name, value] : headers)
    if (equals_ignoring_ascii_case(header_name, name)) return std::string_view(value);
  return std::nullopt;
}

}  // namespace isrgen::serve
