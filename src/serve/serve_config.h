// The [serve] table of content/site.toml: how `isrgen serve` listens, where
// its webhook secret comes from, whether each job also syncs, and the limits
// that keep a flood of webhooks or slow clients from taking it down. Command
// line flags override the file (serve_command.cpp). The secret itself never
// lives here: `secret_env` names the environment variable that holds it.
// [[serve.map]] rules map a CMS's own webhook payload to tags (payload_map.h);
// a bad rule is an error at its file:line, before serve starts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "serve/payload_map.h"
#include "util/error.h"

namespace isrgen::serve {

struct ServeConfig {
  std::string listen = "127.0.0.1:8080";
  std::string secret_env;  // "": ISRGEN_WEBHOOK_SECRET
  bool sync = false;       // every job syncs after its build (isrgen sync)
  size_t max_queued = 10'000;           // more queued jobs than this: 429
  int64_t signature_tolerance_s = 300;  // X-Isrgen-Signature t= may be this far from the clock
  size_t max_connections = 1024;
  int64_t read_timeout_ms = 10'000;     // a request's headers and body must arrive within this
  int64_t idle_timeout_ms = 30'000;     // an idle keep-alive connection is closed after this
  int threads = 2;                      // threads answering HTTP requests
  std::vector<MapRule> map;             // [[serve.map]]: a CMS's own payload -> tags
};

Result<ServeConfig> parse_serve_config(std::string_view toml_text, const std::string& display_path);

// content/site.toml of the site; an absent file or [serve] table gives the defaults.
Result<ServeConfig> load_serve_config(const std::filesystem::path& site_root);

}  // namespace isrgen::serve
