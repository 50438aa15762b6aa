#include "watch/source_schedule.h"

#include <algorithm>
#include <limits>
#include <system_error>

#include "engine/page_staleness.h"
#include "state/dep_index.h"

namespace isrgen::watch {

std::optional<int64_t> next_source_refresh_at_ms(const SitePaths& paths, const SiteConfig& config) {
  bool any_remote = std::any_of(config.sources.begin(), config.sources.end(),
                                [](const auto& entry) { return entry.second.is_remote(); });
  std::error_code ec;
  // No index: no build got far enough to fetch, and opening one would create it.
  if (!any_remote || !std::filesystem::exists(paths.state_db(), ec)) return std::nullopt;
  auto index = DepIndex::open(paths.state_db());
  if (!index.ok()) return std::nullopt;
  auto times = remote_source_stale_times(*index.value(), config);
  if (!times.ok()) return std::nullopt;
  int64_t earliest = std::numeric_limits<int64_t>::max();
  for (const auto& [name, stale_at] : times.value()) earliest = std::min(earliest, stale_at);
  if (earliest == std::numeric_limits<int64_t>::max()) return std::nullopt;
  return earliest;
}

}  // namespace isrgen::watch
