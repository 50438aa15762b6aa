#include "engine/page_variants.h"

#include <algorithm>
#include <map>

#include "site/page_urls.h"
#include "site/translation.h"
#include "util/confined_file.h"

namespace isrgen {
namespace {

struct LoadedFile {
  InputFile input;
  Result<PageFile> parsed;
};

LoadedFile load_page_file(const SitePaths& paths, const std::string& display_path, const InputLimits& limits) {
  auto text = read_file_beneath(paths.root, display_path, static_cast<size_t>(limits.page_bytes),
                                InputLimits::setting("page_bytes"));
  if (!text.ok()) return {{display_path, ""}, text.error()};
  auto parsed = parse_page_file(text.value(), display_path, limits);
  std::string hash = parsed.ok() ? parsed.value().content_hash : "";
  return {{display_path, hash}, std::move(parsed)};
}

std::string priority_of(const PageFile& file) {
  auto priority = file.front_matter.find("priority");
  return priority != file.front_matter.end() && priority->is_string() ? priority->get<std::string>() : "medium";
}

int priority_rank(const std::string& priority) {
  if (priority == "high") return 0;
  if (priority == "low") return 2;
  return 1;
}

}  // namespace

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

std::vector<VariantJob> prepare_variants(const PageSources& page, const SitePaths& paths, const SiteConfig& config) {
  std::vector<std::string> languages;  // in site order, the ones this page has
  for (const std::string& lang : config.languages) {
    bool present = lang == config.default_language ? !page.default_file.empty() : page.translations.contains(lang);
    if (present) languages.push_back(lang);
  }
  const TenantConfig& tenant = config.tenants.at(page.tenant);

  std::vector<VariantJob> jobs;
  std::optional<LoadedFile> base;
  if (!page.default_file.empty()) base = load_page_file(paths, page.default_file, config.limits);

  for (const std::string& lang : config.languages) {
    bool is_default = lang == config.default_language;
    if (is_default ? page.default_file.empty() : !page.translations.contains(lang)) continue;
    VariantJob job;
    job.key = {page.id(), lang};
    job.priority = "medium";

    PageVariant variant{page.tenant, page.slug, lang, {}, {}, {}};
    if (!base) {
      const std::string& file = page.translations.at(lang);
      job.error = make_error(file, 0, "translation without a default-language page: add content/pages/" + page.id() +
                                          ".md");
      jobs.push_back(std::move(job));
      continue;
    }
    if (!base->parsed.ok()) {
      job.error = base->parsed.error();
      jobs.push_back(std::move(job));
      continue;
    }
    variant.page_inputs.push_back(base->input);
    if (is_default) {
      variant.file = base->parsed.value();
    } else {
      LoadedFile translation = load_page_file(paths, page.translations.at(lang), config.limits);
      auto merged = translation.parsed.ok() ? merge_translation(base->parsed.value(), translation.parsed.value())
                                            : Result<PageFile>(translation.parsed.error());
      if (!merged.ok()) {
        job.error = merged.error();
        jobs.push_back(std::move(job));
        continue;
      }
      variant.file = std::move(merged.value());
      variant.page_inputs.push_back(translation.input);
    }
    for (const std::string& other : languages) {
      if (other == lang) continue;
      PageAddress address = page_address(page.tenant, page.slug, other, config.default_language);
      variant.alternates.push_back({other, address.url, tenant.base_url + address.url});
    }
    job.priority = priority_of(variant.file);
    job.variant = std::move(variant);
    jobs.push_back(std::move(job));
  }
  return jobs;
}

void sort_by_priority(std::vector<VariantJob>& jobs) {
  std::stable_sort(jobs.begin(), jobs.end(), [](const VariantJob& a, const VariantJob& b) {
    int rank_a = priority_rank(a.priority), rank_b = priority_rank(b.priority);
    if (rank_a != rank_b) return rank_a < rank_b;
    return a.key < b.key;
  });
}

}  // namespace isrgen
