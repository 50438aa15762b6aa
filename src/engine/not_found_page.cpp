#include "engine/not_found_page.h"

#include "engine/tenant_files.h"

namespace isrgen {
namespace {

// [site.lang.<lang>.strings] not_found, else [site.strings] not_found.
std::string not_found_title(const SiteConfig& config, const std::string& lang) {
  for (const nlohmann::json::json_pointer& where :
       {nlohmann::json::json_pointer("/lang/" + lang + "/strings/not_found"),
        nlohmann::json::json_pointer("/strings/not_found")})
    if (config.site_table.contains(where) && config.site_table.at(where).is_string())
      return config.site_table.at(where).get<std::string>();
  return "Page not found";
}

}  // namespace

NotFoundPages render_not_found_pages(const SiteConfig& config, const TemplateSet& templates,
                                     const PageRenderer& renderer) {
  NotFoundPages pages;
  const TemplateEntry* layout = templates.layout(kNotFoundLayout);
  if (!layout) return pages;
  for (const auto& [id, tenant] : config.tenants) {
    for (const std::string& lang : config.languages) {
      const std::string output = not_found_output(id, lang, config.default_language);
      PageVariant variant;
      variant.tenant = id;
      variant.slug = kNotFoundLayout;
      variant.lang = lang;
      variant.file.display_path = layout->display_path;
      variant.file.front_matter = {
          {"title", not_found_title(config, lang)}, {"layout", kNotFoundLayout}, {"is_not_found", true}};
      auto rendered = renderer.render(variant);
      if (!rendered.ok()) {
        Error error = rendered.error();
        if (error.file.empty()) error.file = layout->display_path;
        pages.errors.push_back(error);
        pages.failed.insert(output);
        continue;
      }
      pages.html.emplace(output, std::move(rendered.value().html));
    }
  }
  return pages;
}

}  // namespace isrgen
