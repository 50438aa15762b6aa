// Deep merge of JSON values, the rule shared by translations and localized
// config tables: objects merge key by key, everything else is replaced.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace isrgen {

void deep_merge(nlohmann::json& base, const nlohmann::json& overlay);

// `table` with its sub-table `lang.<language>` merged over it and the `lang`
// key removed: how [site] and [tenants.X] are localized for a language.
nlohmann::json localized(const nlohmann::json& table, std::string_view language);

}  // namespace isrgen
