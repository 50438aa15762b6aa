// Decides which page variants a build renders, and why. Works on what the
// page scan and the state index know, without reading any page file, so an
// untouched site costs a few stats and queries.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/invalidation.h"
#include "engine/render_reason.h"
#include "site/page_scan.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "state/dep_index.h"
#include "util/fs.h"

namespace isrgen {

// One page in one language as the scan found it.
struct VariantSlot {
  PageKey key;
  std::string output;          // relative to out/
  std::optional<size_t> page;  // index into PageScan::pages; unset for pages that could not be placed
  std::optional<Error> problem;  // the variant cannot be built (scan problem, output collision)
};

std::vector<VariantSlot> list_variant_slots(const PageScan& scan, const SiteConfig& config);

// The output signature (see output_signature) of every slot, in slot order.
std::vector<std::string> output_signatures(const SitePaths& paths, const std::vector<VariantSlot>& slots, int jobs);

struct PlanContext {
  const std::vector<std::string>& output_signatures;  // from output_signatures(), in slot order
  const std::map<PageKey, PageRecord>& previous;
  const std::map<PageKey, std::string>& failed_before;
  const Invalidation& invalidation;
  const std::map<PageKey, std::vector<std::string>>& carrying;  // pages carrying invalidated tags
  const std::map<PageKey, std::string>& requested;             // pages asked for by URL, with the URL
  bool force = false;
};

// The variants a build renders, each with why, in the order the report lists the reasons.
using RenderPlan = std::map<PageKey, std::vector<RenderReason>>;

// The variants to render, each with its reasons ("tag:models:m-1", "new page",
// "output missing", "path:/acme/x/", ...). Slots with a problem are never
// planned. Every variant never rendered is planned; deferring some of them is
// the Deferral's business (engine/deferral.h).
RenderPlan plan_renders(const std::vector<VariantSlot>& slots, const PlanContext& context);

// file_signature of a page's HTML and metadata, as recorded after writing.
std::string output_signature(const SignatureReader& out_folder, const std::string& output);

}  // namespace isrgen
