// Where each element of a top-level JSON array starts, for error messages and
// record line numbers: nlohmann::json keeps no positions, so the text is scanned
// once more after it parsed.
#pragma once

#include <string_view>
#include <vector>

#include "util/text.h"

namespace isrgen::data {

// `text` must be well-formed JSON whose top-level value is an array; the result
// has one position (of the element's first byte) per element, in order.
std::vector<TextPosition> array_element_positions(std::string_view text);

}  // namespace isrgen::data
