#include "engine/planner.h"

namespace isrgen {

namespace {

std::vector<RenderReason> reasons_for(const VariantSlot& slot, const PlanContext& context) {
  std::vector<RenderReason> reasons;
  auto before = context.previous.find(slot.key);
  if (context.force) reasons.push_back({ReasonKind::kForced});
  else if (!context.invalidation.everything_reason.empty())
    reasons.push_back({ReasonKind::kEverything, context.invalidation.everything_reason});
  if (before == context.previous.end()) reasons.push_back({ReasonKind::kNewPage});
  if (auto carried = context.carrying.find(slot.key); carried != context.carrying.end())
    for (const std::string& tag : carried->second) reasons.push_back({ReasonKind::kTag, tag});
  if (auto url = context.requested.find(slot.key); url != context.requested.end())
    reasons.push_back({ReasonKind::kPath, url->second});
  if (context.failed_before.contains(slot.key)) reasons.push_back({ReasonKind::kFailedBefore});
  return reasons;
}

// An output deleted or edited by hand is restored: stat first, as for inputs.
std::optional<RenderReason> output_problem(const std::string& signature, const VariantSlot& slot,
                                           const PageRecord& record) {
  if (record.output != slot.output) return RenderReason{ReasonKind::kOutputMoved};
  if (signature == record.output_signature) return std::nullopt;
  bool missing = signature.starts_with("|") || signature.ends_with("|");
  return RenderReason{missing ? ReasonKind::kOutputMissing : ReasonKind::kOutputChanged};
}

}  // namespace

RenderPlan plan_renders(const std::vector<VariantSlot>& slots, const PlanContext& context) {
  RenderPlan planned;
  for (size_t i = 0; i < slots.size(); ++i) {
    const VariantSlot& slot = slots[i];
    if (slot.problem) continue;
    std::vector<RenderReason> reasons = reasons_for(slot, context);
    auto before = context.previous.find(slot.key);
    if (reasons.empty() && before != context.previous.end())
      if (auto problem = output_problem(context.output_signatures[i], slot, before->second))
        reasons.push_back(*problem);
    if (!reasons.empty()) planned.emplace(slot.key, std::move(reasons));
  }
  return planned;
}

}  // namespace isrgen
