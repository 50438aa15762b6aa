#include "serve/webhook_secret.h"

namespace isrgen::serve {

Result<std::string> webhook_secret(const data::EnvLookup& environment, const std::string& variable) {
  const std::string name = variable.empty() ? kDefaultWebhookSecretVariable : variable;
  std::optional<std::string> secret = environment(name);
  if (!secret || secret->empty())
    return make_error("", 0, "the webhook secret is missing: set the environment variable " + name);
  return std::move(*secret);
}

}  // namespace isrgen::serve
