// ASCII-only case folding for protocol names (HTTP header names, schemes),
// which are case-insensitive regardless of locale.
#pragma once

#include <string_view>

namespace isrgen {

bool equals_ignoring_ascii_case(std::string_view a, std::string_view b);

}  // namespace isrgen
