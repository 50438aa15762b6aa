#include "serve/dev_index.h"

#include "serve/dev_hosts.h"
#include "template/escape.h"

namespace isrgen::serve {
namespace {

void append_link(std::string& html, const std::string& href, std::string_view text) {
  html += "<a href=\"";
  tmpl::append_html_escaped(html, href);
  html += "\">";
  tmpl::append_html_escaped(html, text);
  html += "</a>";
}

}  // namespace

std::string dev_index_page(const SiteConfig& config, std::string_view host) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>isrgen dev</title>\n"
      "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}"
      "li{margin:.5rem 0}small{color:#666}</style>\n</head>\n<body>\n<h1>isrgen dev</h1>\n";
  if (config.tenants.empty()) {
    html += "<p>The site has no tenant yet: add a [tenants.&lt;id&gt;] table to content/site.toml.</p>\n";
  } else {
    html += "<p>Each tenant is previewed on a host of its own; pages reload as you edit them.</p>\n<ul>\n";
  }
  for (const auto& [id, tenant] : config.tenants) {
    std::string origin = tenant_origin(id, host);
    html += "<li>";
    append_link(html, origin + "/", tenant.name.empty() ? id : tenant.name);
    html += " <small>";
    tmpl::append_html_escaped(html, origin);
    if (!tenant.base_url.empty()) {
      html += ", published at ";
      tmpl::append_html_escaped(html, tenant.base_url);
    }
    html += "</small><br>";
    for (const std::string& lang : config.languages) {
      append_link(html, origin + (lang == config.default_language ? "/" : "/" + lang + "/"), lang);
      html += " ";
    }
    html += "</li>\n";
  }
  if (!config.tenants.empty()) html += "</ul>\n";
  return html + "</body>\n</html>\n";
}

}  // namespace isrgen::serve
