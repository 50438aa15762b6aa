// Turns changed inputs into invalidated dependency tags (ARCHITECTURE §3):
// a page file -> page:<tenant>/<slug>; a template -> its layout:/partial:/
// component: tag; a data file -> the diff of its records (added, removed and
// changed records, old and new versions) -> source:S, S:<id>, S:<field>=<value>;
// site.toml -> tenant:<id> when only tenants changed, else everything.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "data/source_catalog.h"
#include "engine/input_scan.h"
#include "site/site_config.h"

namespace isrgen {

struct Invalidation {
  // Non-empty when every page must render again, and why: "content/site.toml changed".
  std::string everything_reason;
  std::set<std::string> tags;     // a tag ending in '*' stands for every tag with that prefix
};

// `snapshot_of(path)` gives the bytes an input had at the last build (for
// site.toml and data files), nullopt when none was recorded.
Invalidation invalidate(const InputScan& scan, const SiteConfig& config, const data::SourceCatalog& sources,
                        const std::function<std::optional<std::string>(const std::string&)>& snapshot_of);

}  // namespace isrgen
