#include "render/page_renderer.h"

#include <set>

#include "assets/asset_rewriter.h"
#include "data/query.h"
#include "render/key_warnings.h"
#include "site/dependency_tag.h"
#include "site/json_merge.h"
#include "site/page_cache.h"
#include "site/page_urls.h"
#include "util/hash.h"
#include "util/json_hash.h"

namespace isrgen {

using nlohmann::json;

// Collects tags and input files while one page renders.
class PageRenderer::Recorder {
 public:
  void tag(std::string tag) { tags_.insert(std::move(tag)); }
  void input(const std::string& path, const std::string& hash) { inputs_.emplace(path, hash); }
  // A data file is recorded with the hash of the records the page shows
  // (data::MemoizedQuery::records_hash), not of the whole file: a change to
  // records a page does not show leaves the page (and its metadata) as it is.
  // Several reads of one file combine, in the order the page makes them.
  void data_input(const std::string& path, const std::string& records_hash) {
    auto [recorded, first_read] = inputs_.try_emplace(path, records_hash);
    if (!first_read) recorded->second = Hasher().add(recorded->second).add(records_hash).hex();
  }
  void use_template(const TemplateEntry& entry) {
    tag(entry.tag());
    input(entry.display_path, entry.content_hash);
  }
  // A {{name}} value refused in a URL attribute; kept in render order.
  void unsafe_url(tmpl::RenderUsage::UnsafeUrl found) { unsafe_urls_.push_back(std::move(found)); }
  const std::vector<tmpl::RenderUsage::UnsafeUrl>& unsafe_urls() const { return unsafe_urls_; }
  std::vector<std::string> tags() const { return {tags_.begin(), tags_.end()}; }
  std::vector<InputFile> inputs() const {
    std::vector<InputFile> out;
    for (const auto& [path, hash] : inputs_) out.push_back({path, hash});
    return out;
  }

 private:
  std::set<std::string> tags_;
  std::map<std::string, std::string> inputs_;
  std::vector<tmpl::RenderUsage::UnsafeUrl> unsafe_urls_;
};

namespace {

// "templates/x.mustache:3:7" -> Error at that place.
Error error_at_reference(const std::string& reference, std::string message) {
  Error error;
  error.message = std::move(message);
  size_t last = reference.rfind(':');
  size_t middle = last == std::string::npos ? std::string::npos : reference.rfind(':', last - 1);
  if (middle == std::string::npos) {
    error.file = reference;
    return error;
  }
  error.file = reference.substr(0, middle);
  error.line = std::atoi(reference.c_str() + middle + 1);
  error.column = std::atoi(reference.c_str() + last + 1);
  return error;
}

// "templates/components/card.mustache:3:14: page acme/about (en): unsafe URL in
// field 'image' rendered as "#": "javascript:alert(9)" (...)". The value is shown
// as a JSON string, so control characters used to disguise a scheme are visible.
std::string unsafe_url_warning(const tmpl::RenderUsage::UnsafeUrl& found, const RenderedPage& page) {
  constexpr size_t kShownBytes = 80;
  std::string shown =
      json(found.value.substr(0, kShownBytes)).dump(-1, ' ', false, json::error_handler_t::replace);
  if (found.value.size() > kShownBytes) shown += "...";
  return found.location + ": page " + page.page + " (" + page.lang + "): unsafe URL in field '" + found.field +
         "' rendered as \"#\": " + shown + " (allowed: relative URLs and http, https, mailto, tel)";
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

}  // namespace

PageRenderer::PageRenderer(const SiteConfig& config, const TemplateSet& templates, const data::SourceCatalog& sources,
                           const MarkdownRenderer& markdown, bool strict, assets::AssetPipeline* assets)
    : config_(config),
      templates_(templates),
      sources_(sources),
      markdown_(markdown),
      strict_(strict),
      assets_(assets) {
  Hasher site_wide;
  site_wide.add(config.site_table.dump()).add(config.unsafe_html ? "unsafe" : "safe");
  for (const auto& [name, source] : config.sources) site_wide.add(name).add(source.file).add(source.url);
  const std::string site_hash = site_wide.hex();
  for (const auto& [id, tenant] : config.tenants) {
    site_config_hash_by_tenant_[id] = Hasher().add(site_hash).add(tenant.table.dump()).hex();
    for (const std::string& lang : config.languages) {
      base_frames_[{id, lang}] = json{{"site", localized(config.site_table, lang)},
                                      {"tenant", localized(tenant.table, lang)},
                                      {"lang", lang}};
    }
  }
}

Result<std::string> PageRenderer::render_template(const TemplateEntry& entry, std::span<const json* const> frames,
                                                  Recorder& recorder, std::vector<const TemplateEntry*>* used) const {
  if (entry.error) return *entry.error;
  recorder.use_template(entry);
  if (used) used->push_back(&entry);
  tmpl::RenderUsage usage;
  std::string out;
  tmpl::render(*entry.compiled, frames, &templates_, out, &usage);
  if (!usage.depth_exceeded.empty())
    return error_at_reference(usage.depth_exceeded, "templates nest deeper than " +
                                                        std::to_string(tmpl::kMaxRenderDepth) +
                                                        " levels (a partial that includes itself?)");
  for (const std::string& name : usage.partials) {
    const TemplateEntry* partial = templates_.partial_entry(name);
    if (!partial) continue;
    recorder.use_template(*partial);
    if (used) used->push_back(partial);
  }
  for (const auto& [name, reference] : usage.missing) {
    const TemplateEntry* broken = templates_.partial_entry(name);
    if (broken && broken->error) return *broken->error;
    return error_at_reference(reference, "unknown partial '" + name + "' (no templates/partials/" + name +
                                             ".mustache or templates/layouts/" + name + ".mustache)");
  }
  for (tmpl::RenderUsage::UnsafeUrl& found : usage.unsafe_urls) recorder.unsafe_url(std::move(found));
  return out;
}

Result<std::string> PageRenderer::render_component(const ComponentSpec& component, const json& base_frame,
                                                   const json& page_frame, Recorder& recorder) const {
  auto fail = [&](const std::string& message) { return make_error(component.file, component.line, message); };
  const TemplateEntry* entry = templates_.component(component.type);
  if (component.type.empty()) return fail("component '" + component.id + "' needs a type");
  if (!entry)
    return fail("unknown component type '" + component.type + "' (no templates/components/" + component.type +
                ".mustache; types: " + join(templates_.component_types()) + ")");

  const data::MemoizedQuery* query = nullptr;
  if (!component.source.empty()) {
    const Result<data::Source>* source = sources_.find(component.source);
    if (!source)
      return fail("unknown source '" + component.source + "' (sources: " + sources_.names() +
                  "; add [sources." + component.source + "] to content/site.toml)");
    if (!source->ok()) return source->error();
    if (strict_ && !source->value().unavailable.empty())
      return fail("component '" + component.id + "': source '" + component.source + "' has nothing to serve (" +
                  source->value().unavailable + "); without --strict the component renders its empty state");
    auto parsed = data::parse_query(component.filter, component.sort, component.limit);
    if (!parsed.ok()) return fail("component '" + component.id + "': " + parsed.error().message);
    auto answered = queries_.answer(source->value(), parsed.value());
    if (!answered.ok()) return fail("component '" + component.id + "': " + answered.error().message);
    query = answered.value();
    recorder.data_input(source->value().display_path, query->records_hash);
    for (const std::string& tag : query->result.tags) recorder.tag(tag);
  }

  std::string share_key;
  if (!entry->reads_page) {
    Hasher key;
    key.add(base_frame["tenant"]["id"].get_ref<const std::string&>()).add(base_frame["lang"].get_ref<const std::string&>());
    key.add(component.type).add(component.id).add(component.source);
    add_json(key, component.config);
    // The records themselves, not only their ids: within one build an id
    // names one record, and the memoised hash costs nothing more.
    if (query) key.add(query->records_hash);
    share_key = key.hex();
    std::lock_guard<std::mutex> lock(shared_mutex_);
    if (auto shared = shared_components_.find(share_key); shared != shared_components_.end()) {
      for (const TemplateEntry* used : shared->second.used) recorder.use_template(*used);
      for (const tmpl::RenderUsage::UnsafeUrl& found : shared->second.unsafe_urls) recorder.unsafe_url(found);
      return shared->second.html;
    }
  }

  json frame{{"component", {{"id", component.id}, {"type", component.type}, {"source", component.source}}},
             {"config", component.config},
             {"items", json::array()}};
  if (query) {
    json& items = frame["items"];
    for (const json* record : query->result.items) items.push_back(*record);
  }
  const json* frames[] = {&base_frame, &page_frame, &frame};
  std::vector<const TemplateEntry*> used;
  const size_t unsafe_before = recorder.unsafe_urls().size();
  auto html = render_template(*entry, frames, recorder, &used);
  if (html.ok() && !share_key.empty()) {
    std::vector<tmpl::RenderUsage::UnsafeUrl> unsafe_urls(recorder.unsafe_urls().begin() + unsafe_before,
                                                          recorder.unsafe_urls().end());
    std::lock_guard<std::mutex> lock(shared_mutex_);
    shared_components_.emplace(share_key, SharedComponent{html.value(), std::move(used), std::move(unsafe_urls)});
  }
  return html;
}

Result<const TemplateEntry*> PageRenderer::find_layout(const PageFile& file) const {
  std::string name = "page";
  FieldLocation where{file.display_path, 0};
  if (auto layout = file.front_matter.find("layout"); layout != file.front_matter.end() && layout->is_string()) {
    name = layout->get<std::string>();
    if (auto location = file.field_locations.find("layout"); location != file.field_locations.end())
      where = location->second;
  }
  const TemplateEntry* entry = templates_.layout(name);
  if (!entry)
    return make_error(where.file, where.line,
                      "unknown layout '" + name + "' (layouts: " + join(templates_.layout_names()) + ")");
  return entry;
}

Result<RenderedPage> PageRenderer::render(const PageVariant& variant) const {
  const PageFile& file = variant.file;
  Recorder recorder;
  RenderedPage page;
  page.page = variant.tenant + "/" + variant.slug;
  page.tenant = variant.tenant;
  page.lang = variant.lang;
  auto typos = standing_key_warnings(file.key_warnings, templates_, strict_);
  if (!typos.ok()) return typos.error();
  page.warnings = std::move(typos.value());
  PageAddress address = page_address(variant.tenant, variant.slug, variant.lang, config_.default_language);
  const TenantConfig& tenant = config_.tenants.at(variant.tenant);
  page.url = address.url;
  page.output = address.output;
  page.permalink = tenant.base_url + address.url;
  auto priority = file.front_matter.find("priority");
  page.priority = priority != file.front_matter.end() ? priority->get<std::string>() : "medium";
  auto cache = page_cache_profile(config_, file);
  if (!cache.ok()) return cache.error();
  page.cache = std::move(cache.value());

  recorder.tag(page_tag(page.page));
  recorder.tag(tenant_tag(variant.tenant));
  recorder.tag(lang_tag(variant.lang));
  if (auto tags = file.front_matter.find("tags"); tags != file.front_matter.end())
    for (const json& tag : *tags) recorder.tag(tag.get<std::string>());
  recorder.input(config_.display_path, site_config_hash_by_tenant_.at(variant.tenant));
  for (const InputFile& input : variant.page_inputs) recorder.input(input.path, input.hash);

  auto layout = find_layout(file);
  if (!layout.ok()) return layout.error();

  // The front matter with the page's own fields over it, each set in place
  // (a temporary object merged with update() cost as much again).
  json page_json = file.front_matter;
  page_json["id"] = page.page;
  page_json["slug"] = variant.slug;
  page_json["tenant"] = variant.tenant;
  page_json["lang"] = variant.lang;
  page_json["url"] = page.url;
  page_json["permalink"] = page.permalink;
  page_json["priority"] = page.priority;
  page_json["is_home"] = variant.slug == "index";
  const json& base_frame = base_frames_.at({variant.tenant, variant.lang});
  const json page_frame{{"page", std::move(page_json)}};
  json layout_frame{{"sections", json::array()}, {"alternates", json::array()}};

  for (const SectionSpec& section : file.sections) {
    std::string html;
    for (const ComponentSpec& component : section.components) {
      auto rendered = render_component(component, base_frame, page_frame, recorder);
      if (!rendered.ok()) return rendered.error();
      html += rendered.value();
    }
    layout_frame["sections"].push_back({{"id", section.id}, {"html", std::move(html)}});
  }
  for (const Alternate& alternate : variant.alternates)
    layout_frame["alternates"].push_back(
        {{"lang", alternate.lang}, {"url", alternate.url}, {"permalink", alternate.permalink}});
  layout_frame["content"] = markdown_.to_html(file.body);

  const json* frames[] = {&base_frame, &page_frame, &layout_frame};
  auto html = render_template(*layout.value(), frames, recorder);
  if (!html.ok()) return html.error();
  page.html = std::move(html.value());
  page.tags = recorder.tags();
  page.inputs = recorder.inputs();
  for (const tmpl::RenderUsage::UnsafeUrl& found : recorder.unsafe_urls())
    page.warnings.push_back(unsafe_url_warning(found, page));
  if (assets_) {
    const std::string page_file = variant.page_inputs.empty() ? std::string() : variant.page_inputs.front().path;
    assets::AssetPage where{variant.tenant, config_.tenants.at(variant.tenant).base_url, page.url,
                            page_file + ": page " + page.page + " (" + page.lang + ")"};
    assets::PageAssets rewritten = assets::rewrite_asset_references(page.html, where, *assets_, config_.images);
    page.html = std::move(rewritten.html);
    if (!rewritten.tags.empty()) {  // the recorder's tags are sorted and unique already
      page.tags.insert(page.tags.end(), rewritten.tags.begin(), rewritten.tags.end());
      sort_unique(page.tags);
    }
    page.asset_outputs = std::move(rewritten.outputs);
    for (std::string& warning : rewritten.warnings) page.warnings.push_back(std::move(warning));
  }
  return page;
}

}  // namespace isrgen
