// Feeds a content/site.toml to every reader of it: the site settings
// (tenants, sources, profiles, limits), [serve] with its [[serve.map]] rules,
// and [deploy] with its rules and purge settings. Site owners write this file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "publish/deploy_config.h"
#include "serve/serve_config.h"
#include "site/site_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string display_path = "content/site.toml";
  auto site = isrgen::parse_site_config(text, display_path);
  if (!site) (void)site.error().to_string();
  auto serve = isrgen::serve::parse_serve_config(text, display_path);
  if (!serve) (void)serve.error().to_string();
  // A fixed environment keeps the run deterministic: ${TOKEN} expands, the rest is unset.
  const isrgen::data::EnvLookup environment = [](const std::string& name) -> std::optional<std::string> {
    if (name == "TOKEN") return "t0k3n";
    return std::nullopt;
  };
  auto deploy = isrgen::publish::parse_deploy_config(text, display_path, environment);
  if (!deploy) {
    (void)deploy.error().to_string();
    return 0;
  }
  for (const char* key : {"acme/index.html", "acme/css/site.css", "acme/index.metadata.json", ""})
    (void)isrgen::publish::rules_for(deploy.value(), key).describe();
  return 0;
}
