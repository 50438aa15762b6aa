// The [deploy] table of content/site.toml: where `isrgen sync` pushes to, the
// headers each object gets ([[deploy.rules]], matched by glob in order; each
// setting comes from the first matching rule that has it), the safety limits
// and the CDN purge provider ([deploy.purge]). "${VAR}" in the purge
// settings expands from the environment, so secrets stay out of the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/env_expand.h"
#include "util/error.h"

namespace isrgen::publish {

struct DeployRule {
  std::string match;  // glob over the object key (glob.h)
  std::optional<std::string> cache_control{};
  std::optional<std::string> content_type{};
  std::optional<bool> gzip{};  // upload gzip-compressed with Content-Encoding: gzip
  std::optional<bool> sync{};  // true: sync files skipped by default (index.metadata.json); false: never sync
};

struct PurgeConfig {
  std::string provider;        // "" (none), "webhook", "cloudfront", "fastly", "cloudflare"
  std::string url;             // webhook: where to POST
  std::string secret;          // webhook: HMAC-SHA256 key
  std::string distribution_id; // cloudfront
  int max_paths = 1000;        // cloudfront: more changed paths than this invalidate "/*" instead
  std::string service_id;      // fastly
  std::string zone_id;         // cloudflare
  std::string token;           // fastly, cloudflare: API token
  // cloudfront, fastly, cloudflare: the API's origin (and path prefix) in
  // place of the provider's own, e.g. a proxy; "": the provider's (purge.h).
  std::string endpoint;
  bool soft = true;            // fastly: mark stale (Fastly-Soft-Purge: 1) rather than evict
  int batch_size = 0;          // fastly, cloudflare: keys or tags per request; 0: the documented limit (purge.h)
};

// [deploy.warm]: after a purge that succeeded, GET the public URL of every page
// the sync uploaded, so the first visitor does not pay for the CDN's miss.
struct WarmConfig {
  bool enabled = false;
  int concurrency = 4;         // GETs in flight at once
  int64_t budget_ms = 30'000;  // for all of them; URLs not started by then are skipped
};

struct DeployConfig {
  std::string target;         // default for --target
  std::string cache_control;  // for objects no rule gives one; "" sends none
  int max_deletes = 256;
  int retries = 3;
  int64_t retry_delay_ms = 200;
  std::vector<DeployRule> rules;
  PurgeConfig purge;
  WarmConfig warm;
};

// What the rules decide for one object key.
struct ObjectRules {
  bool sync = true;
  std::string cache_control;         // a rule's, else [deploy] cache_control
  bool cache_control_from_rule = false;  // a rule gave it: it overrides a page's cache profile
  std::string cdn;                   // [deploy.purge] provider: which CDN's own headers a page gets
  std::string content_type;  // by extension unless a rule says otherwise
  bool gzip = false;

  std::string describe() const;  // one line, to tell whether the rules for an object changed
};
ObjectRules rules_for(const DeployConfig& config, std::string_view key);

Result<DeployConfig> parse_deploy_config(std::string_view toml_text, const std::string& display_path,
                                         const data::EnvLookup& environment);

// content/site.toml of the site (an absent file or [deploy] table: defaults).
Result<DeployConfig> load_deploy_config(const std::filesystem::path& site_root, const data::EnvLookup& environment);

}  // namespace isrgen::publish
