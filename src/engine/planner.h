// Decides which page variants a build renders, and why. Works on values alone
// (the variants the scan found with their outputs' signatures, what the last
// build recorded, what changed) without reading any file, so an untouched
// site costs a few stats and queries.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/invalidation.h"
#include "engine/page_variants.h"
#include "engine/render_reason.h"
#include "state/dep_index.h"

namespace isrgen {

struct PlanContext {
  const std::vector<std::string>& output_signatures;  // engine/output_writer.h's, in slot order
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

}  // namespace isrgen
