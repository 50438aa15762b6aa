// Where `isrgen serve` finds its webhook secret: in the environment only,
// never in site.toml, so the secret lives with the service's deployment and
// not in the repository. Errors name the variable, never its value.
#pragma once

#include <string>

#include "data/env_expand.h"
#include "util/error.h"

namespace isrgen::serve {

inline constexpr const char* kDefaultWebhookSecretVariable = "ISRGEN_WEBHOOK_SECRET";

// The value of `variable` (as named in config), or of ISRGEN_WEBHOOK_SECRET
// when `variable` is empty. Unset or empty is an error: a server without a
// secret would have to accept every request or none. So is a whsec_ secret
// whose rest is not base64, which no Standard Webhooks signature could match.
Result<std::string> webhook_secret(const data::EnvLookup& environment, const std::string& variable = "");

}  // namespace isrgen::serve
