// Renders one page in one language: Markdown body, each component with its
// template and its slice of data, then the layout. Records every dependency tag
// (ARCHITECTURE §3) and every input file with its content hash while it renders,
// so the tags are exactly what the render touched.
//
// A PageRenderer is immutable after construction and renders from many threads.
#pragma once

#include <map>
#include <mutex>
#include <unordered_map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "assets/asset_pipeline.h"
#include "data/query_memo.h"
#include "data/source_catalog.h"
#include "render/markdown.h"
#include "render/template_set.h"
#include "site/input_file.h"
#include "site/page_file.h"
#include "site/site_config.h"
#include "util/error.h"

namespace isrgen {

struct Alternate {
  std::string lang;
  std::string url;
  std::string permalink;
};

// One page in one language, with translations already merged.
struct PageVariant {
  std::string tenant;
  std::string slug;
  std::string lang;
  PageFile file;
  std::vector<InputFile> page_inputs;  // the page file and, for a translation, the translation file
  std::vector<Alternate> alternates;   // the other languages of the page
};

struct RenderedPage {
  std::string page;  // "<tenant>/<slug>"
  std::string tenant;
  std::string lang;
  std::string url;
  std::string permalink;
  std::string output;  // relative to out/
  std::string priority;
  CacheProfile cache;  // the tightest of the page's, its components' and its remote sources' (page_cache.h)
  std::string html;
  std::vector<std::string> tags;  // sorted, unique
  std::vector<InputFile> inputs;  // sorted by path
  // Problems that did not stop the render, "file:line:col: message" naming the
  // page: data refused at the start of a URL attribute, rendered as "#".
  std::vector<std::string> warnings;
  // The image variants and fingerprinted copies its asset references use
  // (assets/asset_rewriter.h), sorted by output.
  std::vector<assets::AssetOutput> asset_outputs;
};

class PageRenderer {
 public:
  // `strict`: a component reading a remote source that has nothing to serve
  // fails its page (which keeps its last good output) instead of rendering the
  // component's empty state, and so does an unknown key in its front matter.
  // `assets`, when given, rewrites the asset references of every page
  // rendered (assets/asset_rewriter.h); it is shared by the build's threads.
  PageRenderer(const SiteConfig& config, const TemplateSet& templates, const data::SourceCatalog& sources,
               const MarkdownRenderer& markdown, bool strict = false, assets::AssetPipeline* assets = nullptr);

  Result<RenderedPage> render(const PageVariant& variant) const;

 private:
  class Recorder;
  // `used` (optional) collects every template the render used, for the cache.
  Result<std::string> render_template(const TemplateEntry& entry, std::span<const nlohmann::json* const> frames,
                                      Recorder& recorder, std::vector<const TemplateEntry*>* used = nullptr) const;
  Result<std::string> render_component(const ComponentSpec& component, const nlohmann::json& base_frame,
                                       const nlohmann::json& page_frame, Recorder& recorder) const;
  Result<const TemplateEntry*> find_layout(const PageFile& file) const;

  const SiteConfig& config_;
  const TemplateSet& templates_;
  const data::SourceCatalog& sources_;
  const MarkdownRenderer& markdown_;
  bool strict_;
  assets::AssetPipeline* assets_;
  // What a page of each tenant reads of site.toml ([site], languages, sources
  // and its own tenant table), hashed: recorded as the page's site.toml input,
  // so a change to one tenant leaves the metadata of the others as it is.
  std::map<std::string, std::string> site_config_hash_by_tenant_;
  // {site, tenant, lang} for every tenant and language, built once per build.
  std::map<std::pair<std::string, std::string>, nlohmann::json> base_frames_;

  // Component HTML shared between pages (and languages) within one build: a
  // component whose templates never read `page` renders the same wherever its
  // tenant, language, id, config and records are the same.
  struct SharedComponent {
    std::string html;
    std::vector<const TemplateEntry*> used;  // recorded as dependencies by every page that reuses it
    std::vector<tmpl::RenderUsage::UnsafeUrl> unsafe_urls;  // warned about on every page that reuses it
  };
  mutable std::mutex shared_mutex_;
  mutable std::unordered_map<std::string, SharedComponent> shared_components_;
  // The answers of the components' queries, each run once per build; they
  // point into `sources_`, which outlives the renderer.
  mutable data::QueryMemo queries_;
};

}  // namespace isrgen
