#include "site/json_merge.h"

namespace isrgen {

void deep_merge(nlohmann::json& base, const nlohmann::json& overlay) {
  if (!base.is_object() || !overlay.is_object()) {
    base = overlay;
    return;
  }
  for (auto it = overlay.begin(); it != overlay.end(); ++it) deep_merge(base[it.key()], it.value());
}

nlohmann::json localized(const nlohmann::json& table, std::string_view language) {
  nlohmann::json result = table;
  if (!result.is_object()) return result;
  auto overrides = result.find("lang");
  if (overrides == result.end()) return result;
  nlohmann::json per_language = std::move(*overrides);
  result.erase("lang");
  if (per_language.is_object()) {
    auto entry = per_language.find(std::string(language));
    if (entry != per_language.end()) deep_merge(result, *entry);
  }
  return result;
}

}  // namespace isrgen
