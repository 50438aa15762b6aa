// Keys isrgen does not read, found in the settings and front matter it owns:
// most likely typos (`defualt_language`, `layuot`), which would otherwise be
// ignored without a word. Each is a warning at its file:line naming the
// nearest known key; under --strict an error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace isrgen {

struct KeyWarning {
  Error warning;    // "content/site.toml:3: unknown key 'defualt_language' in [site] (did you mean 'default_language'?)"
  std::string key;  // as written
  // The key sits in a table templates see (`site`, `tenant`, `page`): it may
  // be a field of theirs, so the warning stands only when no template names it.
  bool templates_may_read = false;
};

// For `key` of a table whose own keys are `owned` and whose other keys are
// templates' (`where`: "[site]"): a warning when it is near one of `owned`
// and not one of them, else nothing.
std::optional<KeyWarning> near_owned_key(const std::string& key, const std::vector<std::string>& owned,
                                         const std::string& file, int line, const std::string& where);

// For `key` of a table isrgen alone reads: a warning with the nearest known key,
// or the list of known keys.
KeyWarning unknown_key(const std::string& key, const std::vector<std::string>& known, const std::string& file, int line,
                       const std::string& where);

}  // namespace isrgen
