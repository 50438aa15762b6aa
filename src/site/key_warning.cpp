#include "site/key_warning.h"

#include <algorithm>

#include "util/nearest_word.h"

namespace isrgen {

std::optional<KeyWarning> near_owned_key(const std::string& key, const std::vector<std::string>& owned,
                                         const std::string& file, int line, const std::string& where) {
  if (std::find(owned.begin(), owned.end(), key) != owned.end()) return std::nullopt;
  auto nearest = nearest_word(key, owned);
  if (!nearest) return std::nullopt;
  return KeyWarning{make_error(file, line, "unknown key '" + key + "' in " + where + " (did you mean '" + *nearest +
                                               "'?): isrgen does not read it, nor does any template"),
                    key, true};
}

KeyWarning unknown_key(const std::string& key, const std::vector<std::string>& known, const std::string& file, int line,
                       const std::string& where) {
  return KeyWarning{make_error(file, line, "unknown key '" + key + "' in " + where + known_words_hint(key, known)), key,
                    false};
}

}  // namespace isrgen
