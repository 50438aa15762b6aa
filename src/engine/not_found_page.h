// A tenant's 404 page, one per language, rendered with the layout
// templates/layouts/404.mustache when the site has one: the layout sees what
// any layout sees (site, tenant, lang, page, content, sections, alternates),
// with a page of its own: `title` from [site.strings] not_found (the
// language's [site.lang.<lang>.strings] first; default "Page not found"),
// `layout` "404" and `is_not_found` true; content and sections are empty.
//
// The pages are rendered again by every build that has the layout: their
// inputs are the templates and site.toml alone, one render per tenant and
// language costs less than telling whether one of them changed, and the file
// is rewritten only when its bytes change (engine/tenant_files.h).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "render/page_renderer.h"
#include "render/template_set.h"
#include "site/site_config.h"
#include "util/error.h"

namespace isrgen {

inline constexpr const char* kNotFoundLayout = "404";

struct NotFoundPages {
  std::map<std::string, std::string> html;  // by output: "acme/404.html", "acme/de/404.html"
  std::set<std::string> failed;             // outputs that could not be rendered (they keep their last file)
  std::vector<Error> errors;
};

// Every tenant's 404 pages; none when the site has no 404 layout.
NotFoundPages render_not_found_pages(const SiteConfig& config, const TemplateSet& templates,
                                     const PageRenderer& renderer);

}  // namespace isrgen
