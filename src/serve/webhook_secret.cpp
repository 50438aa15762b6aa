#include "serve/webhook_secret.h"

#include "util/base64.h"

namespace isrgen::serve {

Result<std::string> webhook_secret(const data::EnvLookup& environment, const std::string& variable) {
  const std::string name = variable.empty() ? kDefaultWebhookSecretVariable : variable;
  std::optional<std::string> secret = environment(name);
  if (!secret || secret->empty())
    return make_error("", 0, "the webhook secret is missing: set the environment variable " + name);
  if (secret->starts_with("whsec_") && !base64_decode(std::string_view(*secret).substr(6)))
    return make_error("", 0, "the webhook secret in " + name +
                                 " starts with whsec_ but the rest is not base64: copy the whole secret the "
                                 "sender shows");
  return std::move(*secret);
}

}  // namespace isrgen::serve
