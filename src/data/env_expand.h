// ${NAME} references in remote source settings (request headers), expanded
// from the environment at fetch time so secrets live in the CI's or the
// service's environment, never in site.toml. The expanded values are handed to
// the HTTP layer only: no message ever contains them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace isrgen::data {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

EnvLookup process_environment();  // getenv

// Replaces every ${NAME} (NAME: letters, digits, '_', not starting with a
// digit) by the variable's value; "$$" stands for a literal "$". An unset
// variable is an error naming it; any other '$' is kept as it is.
Result<std::string> expand_env(std::string_view text, const EnvLookup& lookup);

}  // namespace isrgen::data
