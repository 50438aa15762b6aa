// A page's variants, one per language: where the scan puts each (a slot, known
// without reading any page file), and the variant prepared to render (the
// default-language file read and parsed once, each translation merged over
// it, each variant's alternates listed). A variant that cannot be prepared
// carries the error instead, so it fails alone.
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

// One page in one language as the scan found it.
struct VariantSlot {
  PageKey key;
  std::string output;          // relative to out/
  std::optional<size_t> page;  // index into PageScan::pages; unset for pages that could not be placed
  std::optional<Error> problem;  // the variant cannot be built (scan problem, output collision)
};

// Every variant of every page of the scan, in scan and site-language order,
// then those the scan could not place. Two variants publishing to the same
// output: the second carries the problem.
std::vector<VariantSlot> list_variant_slots(const PageScan& scan, const SiteConfig& config);

struct VariantJob {
  PageKey key;
  std::string priority;  // "high" | "medium" | "low"
  std::optional<PageVariant> variant;
  std::optional<Error> error;  // set when `variant` is not
};

// Reads and parses `page`'s files (beneath the site root) into one job per language it has.
std::vector<VariantJob> prepare_variants(const PageSources& page, const SitePaths& paths, const SiteConfig& config);

// Render order: high before medium before low, then by page and language.
void sort_by_priority(std::vector<VariantJob>& jobs);

}  // namespace isrgen
