#include "render/key_warnings.h"

namespace isrgen {

Result<std::vector<std::string>> standing_key_warnings(const std::vector<KeyWarning>& typos,
                                                       const TemplateSet& templates, bool strict) {
  std::vector<std::string> warnings;
  for (const KeyWarning& typo : typos) {
    if (!templates.warning_stands(typo)) continue;
    if (strict) {
      Error error = typo.warning;
      error.message += " (--strict makes unknown keys errors)";
      return error;
    }
    warnings.push_back(typo.warning.to_string());
  }
  return warnings;
}

}  // namespace isrgen
