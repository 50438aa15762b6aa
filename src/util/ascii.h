// ASCII-only case folding for protocol names (HTTP header names, schemes),
// which are case-insensitive regardless of locale.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace isrgen {

bool equals_ignoring_ascii_case(std::string_view a, std::string_view b);

// HTTP header fields (name, value), in order; names are compared without
// regard to ASCII case (RFC 9110).
using HeaderFields = std::vector<std::pair<std::string, std::string>>;

// The value of the first header called `name`; nullopt when there is none.
std::optional<std::string_view> find_header(const HeaderFields& headers, std::string_view name);

}  // namespace isrgen
