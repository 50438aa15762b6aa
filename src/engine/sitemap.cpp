#include "engine/sitemap.h"

#include <algorithm>
#include <map>

#include "template/escape.h"
#include "util/clock.h"

namespace isrgen {
namespace {

constexpr std::string_view kXmlDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr std::string_view kUrlsetOpen =
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
constexpr std::string_view kUrlsetClose = "</urlset>\n";
constexpr std::string_view kIndexOpen = "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
constexpr std::string_view kIndexClose = "</sitemapindex>\n";

std::string escaped(std::string_view text) {
  std::string out;
  tmpl::append_html_escaped(out, text);
  return out;
}

// One <url> element: the entry, its lastmod, and for a page in several
// languages a link to each (its own included) and x-default.
std::string url_element(const std::string& base_url, const std::string& default_language, const SitemapEntry& entry,
                        const std::vector<const SitemapEntry*>& languages) {
  std::string xml = "  <url>\n    <loc>" + escaped(base_url + entry.url) + "</loc>\n";
  if (entry.modified_ms > 0) xml += "    <lastmod>" + format_iso8601_utc(entry.modified_ms) + "</lastmod>\n";
  if (languages.size() > 1) {
    auto link = [&](std::string_view hreflang, const std::string& url) {
      xml += "    <xhtml:link rel=\"alternate\" hreflang=\"" + escaped(hreflang) + "\" href=\"" +
             escaped(base_url + url) + "\"/>\n";
    };
    for (const SitemapEntry* other : languages) link(other->lang, other->url);
    for (const SitemapEntry* other : languages)
      if (other->lang == default_language) link("x-default", other->url);
  }
  return xml + "  </url>\n";
}

std::string index_element(const std::string& base_url, const std::string& part, int64_t modified_ms) {
  std::string xml = "  <sitemap>\n    <loc>" + escaped(base_url + "/" + part) + "</loc>\n";
  if (modified_ms > 0) xml += "    <lastmod>" + format_iso8601_utc(modified_ms) + "</lastmod>\n";
  return xml + "  </sitemap>\n";
}

}  // namespace

std::string sitemap_part_name(size_t n) { return "sitemap-" + std::to_string(n) + ".xml"; }

std::vector<SitemapFile> sitemap_files(const TenantConfig& tenant, const std::string& default_language,
                                       std::vector<SitemapEntry> entries, const SitemapLimits& limits) {
  std::sort(entries.begin(), entries.end(),
            [](const SitemapEntry& a, const SitemapEntry& b) { return a.url < b.url; });
  std::map<std::string, std::vector<const SitemapEntry*>> by_page;
  for (const SitemapEntry& entry : entries) by_page[entry.page].push_back(&entry);
  for (auto& [page, languages] : by_page)
    std::sort(languages.begin(), languages.end(),
              [](const SitemapEntry* a, const SitemapEntry* b) { return a->lang < b->lang; });

  // The parts, filled in URL order, each closed before it would pass a limit.
  struct Part {
    std::string body;
    size_t urls = 0;
    int64_t modified_ms = 0;
  };
  const size_t frame = kXmlDeclaration.size() + kUrlsetOpen.size() + kUrlsetClose.size();
  std::vector<Part> parts(1);
  for (const SitemapEntry& entry : entries) {
    std::string element = url_element(tenant.base_url, default_language, entry, by_page[entry.page]);
    Part* part = &parts.back();
    if (part->urls > 0 &&
        (part->urls + 1 > limits.max_urls || frame + part->body.size() + element.size() > limits.max_bytes))
      part = &parts.emplace_back();
    part->body += element;
    ++part->urls;
    part->modified_ms = std::max(part->modified_ms, entry.modified_ms);
  }
  auto urlset = [&](const Part& part) {
    return std::string(kXmlDeclaration) + std::string(kUrlsetOpen) + part.body + std::string(kUrlsetClose);
  };
  if (parts.size() == 1) return {{kSitemapName, urlset(parts.front())}};

  std::vector<SitemapFile> files;
  std::string index = std::string(kXmlDeclaration) + std::string(kIndexOpen);
  for (size_t i = 0; i < parts.size(); ++i) {
    files.push_back({sitemap_part_name(i + 1), urlset(parts[i])});
    index += index_element(tenant.base_url, files.back().name, parts[i].modified_ms);
  }
  files.insert(files.begin(), {kSitemapName, index + std::string(kIndexClose)});
  return files;
}

bool is_sitemap_output(std::string_view output) {
  size_t slash = output.find('/');
  if (slash == std::string_view::npos || output.find('/', slash + 1) != std::string_view::npos) return false;
  std::string_view name = output.substr(slash + 1);
  if (name == kSitemapName) return true;
  if (!name.starts_with("sitemap-") || !name.ends_with(".xml")) return false;
  std::string_view number = name.substr(8, name.size() - 12);
  return !number.empty() && std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string sitemap_without_lastmod(std::string_view xml) {
  std::string out;
  size_t at = 0;
  while (true) {
    size_t open = xml.find("<lastmod>", at);
    size_t close = open == std::string_view::npos ? open : xml.find("</lastmod>", open);
    if (close == std::string_view::npos) break;
    out += xml.substr(at, open - at);
    at = close + std::string_view("</lastmod>").size();
  }
  out += xml.substr(at);
  return out;
}

}  // namespace isrgen
