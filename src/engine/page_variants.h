// Turns a page's files into the variants to render, one per language: reads and
// parses the default-language file once, merges each translation over it, and
// lists each variant's alternates. A variant that cannot be prepared carries the
// error instead, so it fails alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "render/page_renderer.h"
#include "site/page_scan.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "state/dep_index.h"

namespace isrgen {

struct VariantJob {
  PageKey key;
  std::string priority;  // "high" | "medium" | "low"
  std::optional<PageVariant> variant;
  std::optional<Error> error;  // set when `variant` is not
};

std::vector<VariantJob> prepare_variants(const PageSources& page, const SitePaths& paths, const SiteConfig& config);

// Render order: high before medium before low, then by page and language.
void sort_by_priority(std::vector<VariantJob>& jobs);

}  // namespace isrgen
