#include "serve/source_schedule.h"

#include <algorithm>
#include <limits>
#include <system_error>

#include "data/source_refresh.h"
#include "site/site_config.h"
#include "state/dep_index.h"

namespace isrgen::serve {

std::optional<int64_t> next_source_refresh_at_ms(const SitePaths& paths) {
  auto config = load_site_config(paths);
  if (!config.ok()) return std::nullopt;
  bool any_remote = std::any_of(config.value().sources.begin(), config.value().sources.end(),
                                [](const auto& entry) { return entry.second.is_remote(); });
  std::error_code ec;
  // No index: no build got far enough to fetch, and opening one would create it.
  if (!any_remote || !std::filesystem::exists(paths.state_db(), ec)) return std::nullopt;
  auto index = DepIndex::open(paths.state_db());
  if (!index.ok()) return std::nullopt;
  auto snapshots = index.value()->load_source_snapshots();
  if (!snapshots.ok()) return std::nullopt;
  int64_t earliest = std::numeric_limits<int64_t>::max();
  for (const auto& [name, source] : config.value().sources) {
    if (!source.is_remote()) continue;
    auto found = snapshots.value().find(name);
    earliest = std::min(earliest, data::stale_at_ms(found == snapshots.value().end() ? nullptr : &found->second, source));
  }
  if (earliest == std::numeric_limits<int64_t>::max()) return std::nullopt;
  return earliest;
}

}  // namespace isrgen::serve
