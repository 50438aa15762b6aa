#include "site/page_scan.h"

#include <algorithm>
#include <regex>

#include "util/fs.h"

namespace isrgen {
namespace {

struct FileName {
  std::string slug;
  std::string lang;  // empty: default language
};

// "about.md" -> (about, ""); "about.de.md" -> (about, de) when de is a site
// language; a language-looking suffix that is not configured is an error so a
// typo never turns into a page called "about.fr".
Result<FileName> classify(const std::string& relative_slug_with_suffix, const SiteConfig& config,
                          const std::string& display_path) {
  static const std::regex language_pattern("[a-z]{2,3}(-[A-Za-z]{2,4})?");
  std::string stem = relative_slug_with_suffix.substr(0, relative_slug_with_suffix.size() - 3);  // drop ".md"
  size_t dot = stem.rfind('.');
  size_t slash = stem.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return FileName{stem, ""};
  std::string suffix = stem.substr(dot + 1);
  std::string slug = stem.substr(0, dot);
  if (config.has_language(suffix)) return FileName{slug, suffix == config.default_language ? "" : suffix};
  if (std::regex_match(suffix, language_pattern))
    return make_error(display_path, 0,
                      "language '" + suffix + "' is not in [site] languages of content/site.toml (add it there, or "
                      "rename the file)");
  return FileName{stem, ""};
}

// Why `slug` cannot name a page, or nullopt. A "." or ".." segment would put
// the page's output beside or above another page's (acme/models/.. is
// acme/index.html), and control characters or backslashes make URLs that
// browsers and buckets read differently.
std::optional<std::string> slug_problem(const std::string& slug) {
  size_t start = 0;
  for (;;) {
    size_t end = slug.find('/', start);
    std::string_view segment = std::string_view(slug).substr(start, end == std::string::npos ? end : end - start);
    if (segment.empty() || segment == "." || segment == "..")
      return "the page's slug '" + slug + "' has an empty, '.' or '..' folder or name, which would publish over "
             "another page or outside its tenant: rename the file";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  for (char c : slug)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\')
      return "the page's slug has a control character or a backslash, which URLs cannot carry alike everywhere: "
             "rename the file";
  return std::nullopt;
}

}  // namespace

std::optional<PageKeyOfFile> page_of_file(const std::string& site_relative_path, const SiteConfig& config) {
  const std::string prefix = "content/pages/";
  if (!site_relative_path.starts_with(prefix) || !site_relative_path.ends_with(".md")) return std::nullopt;
  std::string inside = site_relative_path.substr(prefix.size());
  size_t slash = inside.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string tenant = inside.substr(0, slash);
  auto name = classify(inside.substr(slash + 1), config, site_relative_path);
  if (!name.ok() || slug_problem(name.value().slug)) return std::nullopt;
  return PageKeyOfFile{tenant + "/" + name.value().slug,
                       name.value().lang.empty() ? config.default_language : name.value().lang};
}

PageScan place_pages(const std::vector<std::string>& files, const SiteConfig& config) {
  PageScan scan;
  std::map<std::string, PageSources> by_id;
  const std::string pages_prefix = "content/pages/";
  for (const std::string& display : files) {
    std::string inside = display.substr(pages_prefix.size());
    size_t slash = inside.find('/');
    if (slash == std::string::npos) {
      std::string stem = inside.substr(0, inside.size() - 3);
      scan.problems.push_back({stem, config.default_language,
                               make_error(display, 0, "page files belong in a tenant folder: content/pages/<tenant>/" + inside)});
      continue;
    }
    std::string tenant = inside.substr(0, slash);
    auto name = classify(inside.substr(slash + 1), config, display);
    if (!name.ok()) {
      std::string stem = inside.substr(slash + 1, inside.rfind('.') - slash - 1);
      scan.problems.push_back({tenant + "/" + stem, config.default_language, name.error()});
      continue;
    }
    std::string lang = name.value().lang.empty() ? config.default_language : name.value().lang;
    std::string id = tenant + "/" + name.value().slug;
    if (auto problem = slug_problem(name.value().slug)) {
      scan.problems.push_back({id, lang, make_error(display, 0, *problem)});
      continue;
    }
    if (!config.tenants.contains(tenant)) {
      scan.problems.push_back(
          {id, lang, make_error(display, 0, "unknown tenant '" + tenant + "': add [tenants." + tenant + "] to content/site.toml")});
      continue;
    }
    PageSources& page = by_id[id];
    page.tenant = tenant;
    page.slug = name.value().slug;
    std::string& slot = name.value().lang.empty() ? page.default_file : page.translations[lang];
    if (!slot.empty()) {
      scan.problems.push_back({id, lang, make_error(display, 0, "duplicates " + slot + " (same page and language)")});
      continue;
    }
    slot = display;
  }
  for (auto& [id, page] : by_id) scan.pages.push_back(std::move(page));
  return scan;
}

}  // namespace isrgen
