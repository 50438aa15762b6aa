// Where a site's remote state lives (remote_state.h), as the run is told:
// `--state URL`, else the ISRGEN_STATE environment variable, else
// `[state] url` in content/site.toml (a folder there is relative to the site,
// as [deploy] target is). None of them: the state stays in .isrgen/ alone.
#pragma once

#include <filesystem>
#include <string>

#include "data/env_expand.h"
#include "util/error.h"

namespace isrgen::publish {

struct StateSetting {
  std::string url;                    // empty: no remote state
  std::filesystem::path relative_to;  // for a folder URL; empty: the working directory
};

// `[state] url` of the settings `toml_text` (empty when there is no [state]);
// an error at `display_path:line` for a setting it does not know.
Result<std::string> parse_state_url(std::string_view toml_text, const std::string& display_path);

// The flag, the environment, then the site's settings.
Result<StateSetting> state_setting(const std::string& flag, const data::EnvLookup& environment,
                                   const std::filesystem::path& site_root);

}  // namespace isrgen::publish
