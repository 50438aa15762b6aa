// When a long-running command (`isrgen watch`, `isrgen serve`) should build
// again for its remote sources alone: the earliest time one of them goes
// stale (data/source_refresh.h), from the site's settings and the snapshots
// in its state index.
#pragma once

#include <cstdint>
#include <optional>

#include "site/site_config.h"
#include "site/site_paths.h"

namespace isrgen::watch {

// Unix ms on the clock builds judge staleness by, for the sources of `config`
// (the settings the last build ran with); nullopt when none ever goes stale,
// or when the state index cannot be read (the next build reports why).
std::optional<int64_t> next_source_refresh_at_ms(const SitePaths& paths, const SiteConfig& config);

}  // namespace isrgen::watch
