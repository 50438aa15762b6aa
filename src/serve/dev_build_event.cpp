#include "serve/dev_build_event.h"

#include <algorithm>
#include <string_view>

#include "engine/problem_groups.h"
#include "site/dependency_tag.h"
#include "site/page_scan.h"
#include "site/page_urls.h"

namespace isrgen::serve {
namespace {

constexpr std::string_view kStaticFolder = "static/";

nlohmann::json urls_json(const std::vector<PreviewUrl>& urls) {
  nlohmann::json list = nlohmann::json::array();
  for (const PreviewUrl& url : urls) list.push_back({{"tenant", url.tenant}, {"url", url.url}});
  return list;
}

void add_once(std::vector<PreviewUrl>& urls, PreviewUrl url) {
  if (std::find(urls.begin(), urls.end(), url) == urls.end()) urls.push_back(std::move(url));
}

bool was_rendered(const BuildReport& report, const std::string& page, const std::string& lang) {
  return std::any_of(report.rendered.begin(), report.rendered.end(),
                     [&](const RenderedEntry& entry) { return entry.page == page && entry.lang == lang; });
}

// static/<tenant>/css/site.css -> {tenant, /css/site.css}, for a tenant of the site.
std::optional<PreviewUrl> static_file_url(std::string_view path, const SiteConfig& config) {
  if (!path.starts_with(kStaticFolder)) return std::nullopt;
  path.remove_prefix(kStaticFolder.size());
  size_t slash = path.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string tenant(path.substr(0, slash));
  if (!config.tenants.contains(tenant)) return std::nullopt;
  return PreviewUrl{tenant, std::string(path.substr(slash))};
}

}  // namespace

nlohmann::json DevBuildEvent::to_json() const {
  return {{"id", id},
          {"pages", urls_json(pages)},
          {"edited", urls_json(edited)},
          {"stylesheets", urls_json(stylesheets)},
          {"assets", urls_json(assets)},
          {"reload_all", reload_all},
          {"errors", errors}};
}

PreviewUrl preview_url_of_output(const std::string& output) {
  size_t slash = output.find('/');
  if (slash == std::string::npos) return {output, "/"};
  std::string url = output.substr(slash);
  constexpr std::string_view kIndex = "index.html";
  if (url.ends_with(kIndex) && url[url.size() - kIndex.size() - 1] == '/') url.resize(url.size() - kIndex.size());
  return {output.substr(0, slash), url};
}

// Whether `page` rendered only because stylesheets that are swapped in place
// changed (the asset: tags of `stylesheets`): it links their new fingerprints,
// but the open page needs no reload for that.
bool rendered_for_stylesheets(const RenderedEntry& page, const std::vector<PreviewUrl>& stylesheets) {
  if (stylesheets.empty() || page.reasons.empty()) return false;
  return std::all_of(page.reasons.begin(), page.reasons.end(), [&](const RenderReason& reason) {
    return reason.kind == ReasonKind::kTag &&
           std::any_of(stylesheets.begin(), stylesheets.end(), [&](const PreviewUrl& sheet) {
             return reason.detail == asset_tag(sheet.tenant + sheet.url);
           });
  });
}

DevBuildEvent describe_build(const BuildReport& report, const SiteConfig& config, const DevChanges& changes) {
  DevBuildEvent event;
  std::vector<PreviewUrl> stylesheets;
  for (const std::string& path : changes.paths)
    if (auto file = static_file_url(path, config); file && file->url.ends_with(".css")) stylesheets.push_back(*file);
  for (const RenderedEntry& page : report.rendered)
    if (page.changed && !rendered_for_stylesheets(page, stylesheets))
      add_once(event.pages, preview_url_of_output(page.output));
  for (const std::string& output : report.deleted)
    if (output.ends_with("/index.html")) add_once(event.pages, preview_url_of_output(output));
  for (const ProblemGroup& group : group_failures(report)) event.errors.push_back(problem_lines(group, false).front());
  event.reload_all = changes.rescan_all;
  for (const std::string& path : changes.paths) {
    if (auto file = static_file_url(path, config)) {
      bool stylesheet = file->url.ends_with(".css");
      add_once(stylesheet ? event.stylesheets : event.assets, std::move(*file));
      continue;
    }
    // A page file edited (its translation or itself) whose page rendered:
    // the page in that file's language is where the author wants to look.
    auto key = page_of_file(path, config);
    if (!key || !was_rendered(report, key->page, key->lang)) continue;
    std::string tenant = key->page.substr(0, key->page.find('/'));
    std::string slug = key->page.substr(tenant.size() + 1);
    add_once(event.edited, {tenant, page_address(tenant, slug, key->lang, config.default_language).url});
  }
  return event;
}

DevBuildEvent describe_failed_run(const std::string& error) {
  DevBuildEvent event;
  event.errors.push_back(error);
  return event;
}

}  // namespace isrgen::serve
