// When a long-running command (`isrgen watch`, `isrgen serve`) should build
// again for its remote sources alone: the earliest time one of them goes
// stale (data/source_refresh.h), read from the site's settings and the
// snapshots in its state index.
#pragma once

#include <cstdint>
#include <optional>

#include "site/site_paths.h"

namespace isrgen::serve {

// Unix ms on the clock builds judge staleness by; nullopt when no remote
// source ever goes stale, or when the settings or the state index cannot be
// read (the next build reports why, and a fix is a file change that builds).
std::optional<int64_t> next_source_refresh_at_ms(const SitePaths& paths);

}  // namespace isrgen::serve
