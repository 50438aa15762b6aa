// How templates read JSON values: which ones are truthy, and the text that
// {{name}} shows for them.
#pragma once

#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

namespace isrgen::tmpl {

// Falsey: a missing name (nullptr), null, false, [] and "". Everything else,
// 0 and {} included, is truthy.
bool is_truthy(const nlohmann::json* value);

// Room for the text of any JSON number.
using NumberBuffer = std::array<char, 32>;

// Strings as they are, numbers in their shortest exact form (85, 1.21),
// booleans as true and false; null, arrays and objects as nothing. The result
// points into `value` or `buffer`.
std::string_view display_text(const nlohmann::json& value, NumberBuffer& buffer);

}  // namespace isrgen::tmpl
