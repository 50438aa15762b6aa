#include "engine/planner.h"

#include "engine/parallel.h"
#include "site/page_urls.h"
#include "util/fs.h"

namespace isrgen {

std::string output_signature(const SignatureReader& out_folder, const std::string& output) {
  return out_folder.signature(output) + "|" + out_folder.signature(metadata_path_for(output));
}

std::vector<VariantSlot> list_variant_slots(const PageScan& scan, const SiteConfig& config) {
  std::vector<VariantSlot> slots;
  std::map<PageKey, Error> problems;
  for (const ScanProblem& problem : scan.problems) problems.emplace(PageKey{problem.page, problem.lang}, problem.error);
  std::map<std::string, PageKey> output_owner;

  for (size_t i = 0; i < scan.pages.size(); ++i) {
    const PageSources& page = scan.pages[i];
    for (const std::string& lang : config.languages) {
      bool is_default = lang == config.default_language;
      const std::string* file = is_default ? &page.default_file : nullptr;
      if (!is_default) {
        auto translation = page.translations.find(lang);
        file = translation == page.translations.end() ? nullptr : &translation->second;
      }
      if (!file || file->empty()) continue;
      VariantSlot slot{{page.id(), lang}, page_address(page.tenant, page.slug, lang, config.default_language).output, i,
                       std::nullopt};
      if (auto problem = problems.find(slot.key); problem != problems.end()) {
        slot.problem = problem->second;
        problems.erase(problem);
      }
      auto [owner, inserted] = output_owner.emplace(slot.output, slot.key);
      if (!inserted && !slot.problem)
        slot.problem = make_error(*file, 0, "publishes to " + slot.output + " like page " + owner->second.page +
                                                ": rename one of them");
      slots.push_back(std::move(slot));
    }
  }
  for (auto& [key, error] : problems) slots.push_back({key, "", std::nullopt, error});
  return slots;
}

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

std::vector<std::string> output_signatures(const SitePaths& paths, const std::vector<VariantSlot>& slots, int jobs) {
  std::vector<std::string> signatures(slots.size());
  SignatureReader out_folder(paths.out);
  parallel_for(slots.size(), jobs, [&](size_t i) {
    if (!slots[i].problem) signatures[i] = output_signature(out_folder, slots[i].output);
  });
  return signatures;
}

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
