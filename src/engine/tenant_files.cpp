#include "engine/tenant_files.h"

namespace isrgen {

std::string robots_txt(const TenantConfig& tenant) {
  std::string text = tenant.robots ? *tenant.robots : "User-agent: *\nAllow: /\n";
  if (!text.empty() && !text.ends_with('\n')) text += '\n';
  if (tenant.sitemap) text += "\nSitemap: " + tenant.base_url + "/" + kSitemapName + "\n";
  return text;
}

std::string not_found_output(const std::string& tenant, const std::string& lang, const std::string& default_language) {
  return tenant + "/" + (lang == default_language ? "" : lang + "/") + kNotFoundName;
}

namespace {

class TenantFileWriter {
 public:
  TenantFileWriter(const std::filesystem::path& out, const SiteConfig& config, const TenantFileInputs& inputs,
                   Disk& disk)
      : out_(out), config_(config), inputs_(inputs), disk_(disk) {}

  void write(const std::string& file, const std::string& bytes) {
    auto written = disk_.write(out_, file, bytes, WriteMode::kIfChanged);
    if (!written.ok()) outcome_.errors.push_back(written.error());
    else if (written.value().written) outcome_.written.push_back(file);
  }

  // Removes a generated file; a static file there is the static copy's business.
  void remove(const std::string& file) {
    if (is_static(file) || disk_.signature(out_, file).empty()) return;
    disk_.remove(out_, file);
    outcome_.removed.push_back(file);
  }

  bool is_static(const std::string& file) const {
    return inputs_.static_files && inputs_.static_files->contains(file);
  }

  void write_sitemap(const TenantConfig& tenant, std::vector<SitemapEntry> entries, const SitemapLimits& limits) {
    std::vector<SitemapFile> files;
    if (tenant.sitemap) files = sitemap_files(tenant, config_.default_language, std::move(entries), limits);
    for (const SitemapFile& file : files) {
      if (!is_static(tenant.id + "/" + file.name)) continue;
      outcome_.errors.push_back(make_error("static/" + tenant.id + "/" + file.name, 0,
                                           "takes the place of the tenant's sitemap; rename the static file or turn "
                                           "the sitemap off ([tenants." + tenant.id + "] sitemap = false)"));
      return;
    }
    for (const SitemapFile& file : files) write(tenant.id + "/" + file.name, file.bytes);
    remove_sitemap_parts(tenant.id, files.size() > 1 ? files.size() : 1);
    if (files.empty()) remove(tenant.id + "/" + kSitemapName);
  }

  // The parts numbered `first` and up that a larger sitemap left.
  void remove_sitemap_parts(const std::string& tenant, size_t first) {
    for (size_t n = first;; ++n) {
      const std::string part = tenant + "/" + sitemap_part_name(n);
      if (disk_.signature(out_, part).empty()) return;
      remove(part);
      if (is_static(part)) return;
    }
  }

  void write_not_found_pages(const std::string& tenant) {
    for (const std::string& lang : config_.languages) {
      const std::string output = not_found_output(tenant, lang, config_.default_language);
      if (is_static(output)) continue;
      if (auto page = inputs_.not_found_pages.find(output); page != inputs_.not_found_pages.end())
        write(output, page->second);
      else if (!inputs_.not_found_failed.contains(output))
        remove(output);
    }
    for (const std::string& lang : inputs_.former_languages)
      if (!config_.has_language(lang)) remove(not_found_output(tenant, lang, config_.default_language));
  }

  void remove_all_of(const std::string& tenant) {
    remove(tenant + "/" + kSitemapName);
    remove_sitemap_parts(tenant, 1);
    remove(tenant + "/" + kRobotsName);
    for (const std::string& lang : config_.languages) remove(not_found_output(tenant, lang, config_.default_language));
    for (const std::string& lang : inputs_.former_languages)
      remove(not_found_output(tenant, lang, config_.default_language));
  }

  TenantFilesOutcome take() { return std::move(outcome_); }

 private:
  const std::filesystem::path& out_;
  const SiteConfig& config_;
  const TenantFileInputs& inputs_;
  Disk& disk_;
  TenantFilesOutcome outcome_;
};

}  // namespace

TenantFilesOutcome write_tenant_files(const std::filesystem::path& out, const SiteConfig& config,
                                      const TenantFileInputs& inputs, Disk& disk, const SitemapLimits& limits) {
  std::map<std::string, std::vector<SitemapEntry>> entries;
  for (const PageRecord* page : inputs.pages)
    entries[page->tenant].push_back({page->key.page, page->key.lang, page->url, page->generated_at_ms});
  for (const DeferredPage* page : inputs.deferred)
    entries[page->tenant].push_back({page->key.page, page->key.lang, page->url, 0});

  TenantFileWriter writer(out, config, inputs, disk);
  for (const std::string& gone : inputs.former_tenants)
    if (!config.tenants.contains(gone)) writer.remove_all_of(gone);
  for (const auto& [id, tenant] : config.tenants) {
    writer.write_sitemap(tenant, std::move(entries[id]), limits);
    if (!writer.is_static(id + "/" + kRobotsName)) writer.write(id + "/" + kRobotsName, robots_txt(tenant));
    writer.write_not_found_pages(id);
  }
  return writer.take();
}

}  // namespace isrgen
