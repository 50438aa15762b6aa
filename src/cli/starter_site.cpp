#include "cli/starter_site.h"

#include <array>

namespace isrgen {
namespace {

constexpr std::string_view kSiteToml = R"(# The settings of this site. `isrgen dev` previews it at http://mysite.localhost:4000/
# and `isrgen build` writes it into out/mysite/.

[site]
title = "My Site"
default_language = "en"
languages = ["en", "de"]
home = "/"

[site.lang.de]              # merged over [site] when rendering German
home = "/de/"

# A tenant: content/pages/mysite/ holds its pages, static/mysite/ its files.
[tenants.mysite]
name = "My Site"
base_url = "https://www.example.com"
tagline = "Pages built from Markdown, templates and data."

[tenants.mysite.lang.de]
tagline = "Seiten aus Markdown, Vorlagen und Daten."

# A local data source: content/data/products.json, a JSON array of objects with unique "id"s.
[sources.products]
file = "data/products.json"

# A remote source, fetched over HTTP and kept as a snapshot; pages read it as they
# read a file. Uncomment it, point it at your API and show it with a component.
# [sources.news]
# url = "https://api.example.com/news"
# revalidate = 300                                      # seconds until the snapshot is stale
# headers = { Authorization = "Bearer ${NEWS_TOKEN}" }  # from the environment
# fallback = "data/news.json"                           # records for a build that cannot reach it
)";

constexpr std::string_view kHome = R"(---
title: Welcome
priority: high
sections:
  - id: products
    components:
      - id: featured
        type: PRODUCT_LIST
        source: products
        sort: -rating
        limit: 3
        config: { heading: "Our favourites" }
---
This page is `content/pages/mysite/index.md`. Edit it while `isrgen dev` runs and your
browser shows the change as you save.

The list below is the `PRODUCT_LIST` component (`templates/components/PRODUCT_LIST.mustache`)
showing the three best-rated records of `content/data/products.json`.
)";

constexpr std::string_view kHomeGerman = R"(---
title: Willkommen
sections:
  - id: products
    components:
      - id: featured
        config: { heading: "Unsere Favoriten" }
---
Diese Seite ist `content/pages/mysite/index.de.md`: eine Übersetzung trägt nur, was sie
ändert (Titel, Text, die Einstellungen der Komponenten); der Rest kommt von `index.md`.
)";

constexpr std::string_view kAbout = R"(---
title: About
---
A second page, at `/about/`. Its file is `content/pages/mysite/about.md`; a page without
`layout:` uses `templates/layouts/page.mustache`.
)";

constexpr std::string_view kProducts = R"([
  {"id": "p-1", "name": "Linen shirt", "price": "49 €", "rating": 4.6},
  {"id": "p-2", "name": "Canvas tote", "price": "19 €", "rating": 4.8},
  {"id": "p-3", "name": "Wool scarf", "price": "35 €", "rating": 4.1},
  {"id": "p-4", "name": "Leather belt", "price": "59 €", "rating": 3.9}
]
)";

constexpr std::string_view kLayout = R"(<!DOCTYPE html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{page.title}} | {{tenant.name}}</title>
<link rel="canonical" href="{{page.permalink}}">
<link rel="stylesheet" href="/css/site.css">
</head>
<body>
{{> header}}
<main class="container">
<h1>{{page.title}}</h1>
{{{content}}}
{{#sections}}
<section id="{{id}}">
{{{html}}}
</section>
{{/sections}}
</main>
</body>
</html>
)";

constexpr std::string_view kHeader = R"(<header class="site-header">
  <div class="container">
    <a class="brand" href="{{site.home}}">{{tenant.name}}</a>
    <span class="tagline">{{tenant.tagline}}</span>
    <nav>
      <a href="/about/">About</a>
      {{#alternates}}
      <a href="{{url}}" hreflang="{{lang}}" lang="{{lang}}">{{lang}}</a>
      {{/alternates}}
    </nav>
  </div>
</header>
)";

constexpr std::string_view kProductList = R"(<h2>{{config.heading}}</h2>
<ul class="products">
{{#items}}
  <li class="product"><strong>{{name}}</strong> <span class="price">{{price}}</span></li>
{{/items}}
</ul>
{{^items}}
<p>No products yet: add some to content/data/products.json.</p>
{{/items}}
)";

constexpr std::string_view kStylesheet = R"(/* static/mysite/css/site.css, served at /css/site.css */
body { margin: 0; font: 17px/1.6 system-ui, sans-serif; color: #1d2330; background: #f6f4ef; }
.container { max-width: 44rem; margin: 0 auto; padding: 0 1.25rem; }
.site-header { background: #1d2330; color: #f6f4ef; padding: 1rem 0; }
.site-header a { color: #f6f4ef; margin-right: 1rem; }
.brand { font-weight: 700; text-decoration: none; }
.tagline { opacity: 0.75; margin-right: 1rem; }
h1 { margin: 2rem 0 1rem; }
.products { list-style: none; padding: 0; display: grid; gap: 0.75rem; }
.product { background: #fff; border-radius: 0.5rem; padding: 0.75rem 1rem; }
.price { float: right; color: #6b4a0e; }
)";

constexpr std::string_view kGitignore = R"(# Generated: the output and isrgen's state (snapshots of remote sources live there too).
out/
.isrgen/
)";

constexpr std::array kFiles{
    StarterFile{"content/site.toml", kSiteToml},
    StarterFile{"content/pages/mysite/index.md", kHome},
    StarterFile{"content/pages/mysite/index.de.md", kHomeGerman},
    StarterFile{"content/pages/mysite/about.md", kAbout},
    StarterFile{"content/data/products.json", kProducts},
    StarterFile{"templates/layouts/page.mustache", kLayout},
    StarterFile{"templates/partials/header.mustache", kHeader},
    StarterFile{"templates/components/PRODUCT_LIST.mustache", kProductList},
    StarterFile{"static/mysite/css/site.css", kStylesheet},
    StarterFile{".gitignore", kGitignore},
};

}  // namespace

std::span<const StarterFile> starter_site_files() { return kFiles; }

}  // namespace isrgen
