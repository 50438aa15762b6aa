// The order `sort:` puts record values in: numbers numerically, strings bytewise,
// and across types numbers < strings < booleans (false < true) < everything else
// (arrays and objects, all equivalent to each other).
#pragma once

#include <compare>

#include <nlohmann/json.hpp>

namespace isrgen::data {

std::weak_ordering compare_for_sort(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace isrgen::data
