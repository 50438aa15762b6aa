#include "engine/deferral.h"

#include "site/page_urls.h"

namespace isrgen {

Deferral::Deferral(const SiteConfig& config, const PageScan& page_scan, const std::vector<VariantSlot>& slots,
                   const std::map<std::string, StoredInput>& inputs_now, std::map<PageKey, DeferredPage> stored)
    : config_(config), page_scan_(page_scan), slots_(slots), inputs_now_(inputs_now), stored_(std::move(stored)) {}

DeferredPage Deferral::describe(const VariantSlot& slot) const {
  const PageSources& page = page_scan_.pages[*slot.page];
  auto hash_of = [&](const std::string& path) {
    auto input = inputs_now_.find(path);
    return input == inputs_now_.end() ? std::string() : input->second.hash;
  };
  // A translation is merged over the default-language file: both decide its priority.
  std::string inputs_hash = hash_of(page.default_file);
  if (auto translation = page.translations.find(slot.key.lang); translation != page.translations.end())
    inputs_hash += "|" + hash_of(translation->second);
  return DeferredPage{slot.key, page.tenant,
                      page_address(page.tenant, page.slug, slot.key.lang, config_.default_language).url, slot.output,
                      std::move(inputs_hash)};
}

void Deferral::skip_unchanged(RenderPlan& planned,
                              const std::map<PageKey, PageRecord>& rendered, const std::set<PageKey>& asked_for,
                              bool trust_stored) {
  if (config_.prerender != Prerender::kHigh) return;
  for (const VariantSlot& slot : slots_) {
    if (!slot.page || !planned.contains(slot.key) || rendered.contains(slot.key) || asked_for.contains(slot.key))
      continue;
    DeferredPage page = describe(slot);
    auto before = stored_.find(slot.key);
    bool hashes_known = !page.inputs_hash.empty() && !page.inputs_hash.starts_with('|') &&
                        !page.inputs_hash.ends_with('|');
    if (trust_stored && hashes_known && before != stored_.end() && before->second == page) {
      planned.erase(slot.key);
      deferred_.emplace(slot.key, std::move(page));
    } else {
      eligible_.emplace(slot.key, std::move(page));
    }
  }
}

void Deferral::defer_prepared(std::vector<VariantJob>& jobs, RenderPlan& planned) {
  std::erase_if(jobs, [&](const VariantJob& job) {
    auto page = eligible_.find(job.key);
    if (page == eligible_.end() || !job.variant || job.priority == "high") return false;
    planned.erase(job.key);
    deferred_.insert(eligible_.extract(page));
    return true;
  });
}

void Deferral::record(BuildRecord& record) const {
  for (const auto& [key, page] : deferred_) {
    auto before = stored_.find(key);
    if (before == stored_.end() || !(before->second == page)) record.deferred_pages.push_back(page);
  }
  for (const auto& [key, page] : stored_)
    if (!deferred_.contains(key)) record.undeferred_pages.push_back(key);
}

}  // namespace isrgen
