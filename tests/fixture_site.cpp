#include "fixture_site.h"

#include <stdexcept>

namespace isrgen::testing {

FixtureSite::FixtureSite() {
  write("content/site.toml", R"([site]
title = "Fixture"
default_language = "en"
languages = ["en", "de"]
[site.strings]
more = "More"
[site.lang.de.strings]
more = "Mehr"

[tenants.acme]
name = "Acme Talent"
base_url = "https://acme.example"

[tenants.nova]
name = "Nova Casting"
base_url = "https://nova.example/"

[sources.models]
file = "data/models.json"
)");
  write("content/data/models.json", R"([
  {"id": "m-1", "name": "Ada", "category": "fashion", "rating": 4.5, "tags": ["summer", "runway"]},
  {"id": "m-2", "name": "Ben", "category": "fitness", "rating": 4.9, "tags": ["winter"]},
  {"id": "m-3", "name": "Cleo", "category": "fashion", "rating": 3.1, "tags": []},
  {"id": "m-4", "name": "Dan", "category": "editorial", "rating": 4.0, "tags": ["summer"]}
]
)");
  write("templates/layouts/base.mustache",
        "<!doctype html>\n<html lang=\"{{lang}}\">\n<head><title>{{page.title}} | {{tenant.name}}</title></head>\n"
        "<body>\n{{> header}}\n{{$main}}{{/main}}\n</body>\n</html>\n");
  write("templates/layouts/page.mustache",
        "{{<base}}{{$main}}{{#sections}}<section id=\"{{id}}\">{{{html}}}</section>\n{{/sections}}"
        "<article>{{{content}}}</article>\n"
        "{{#alternates}}<a hreflang=\"{{lang}}\" href=\"{{url}}\">{{lang}}</a>\n{{/alternates}}{{/main}}{{/base}}");
  write("templates/partials/header.mustache", "<header>{{tenant.name}} {{> nav}}</header>\n");
  write("templates/partials/nav.mustache", "<nav><a href=\"{{page.url}}\">{{site.strings.more}}</a></nav>");
  write("templates/components/HERO.mustache", "<h1>{{config.headline}}</h1>\n");
  write("templates/components/MODELS.mustache",
        "<ul>{{#items}}<li data-id=\"{{id}}\">{{name}} ({{category}})</li>{{/items}}{{^items}}<li>none</li>{{/items}}</ul>\n");
  write("content/pages/acme/index.md", R"(---
title: Home
priority: high
tags: [campaign:summer]
sections:
  - id: hero
    components:
      - id: hero
        type: HERO
        config: { headline: "Find your role" }
  - id: talent
    components:
      - id: models
        type: MODELS
        source: models
        filter: { category: [fashion] }
        sort: -rating
        limit: 1
---
Welcome to **Acme**.
)");
  write("content/pages/acme/index.de.md", R"(---
title: Start
sections:
  - id: hero
    components:
      - id: hero
        config: { headline: "Finde deine Rolle" }
---
Willkommen bei **Acme**.
)");
  write("content/pages/acme/all.md", R"(---
title: All models
priority: low
sections:
  - id: list
    components:
      - type: MODELS
        source: models
---
Everyone.
)");
  write("content/pages/acme/jobs/berlin.md", "---\ntitle: Berlin jobs\n---\nJobs in Berlin.\n");
  write("content/pages/nova/index.md", "---\ntitle: Nova\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n");
  write("static/acme/css/site.css", "body { margin: 0 }\n");
}

void FixtureSite::replace(const std::string& relative, const std::string& from, const std::string& to) const {
  std::string text = read_text(root() / relative);
  size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error(relative + " does not contain \"" + from + "\"");
  text.replace(at, from.size(), to);
  write(relative, text);
}

FixtureSite::Build FixtureSite::build(const std::vector<std::string>& extra, const std::vector<std::string>& env) const {
  std::vector<std::string> args = {"build", "--site", root().string(), "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  Build build;
  build.result = run_isrgen(args, env);
  build.report = nlohmann::json::parse(build.result.out.empty() ? "null" : build.result.out, nullptr, false);
  return build;
}

std::set<std::string> rendered_variants(const nlohmann::json& report) {
  std::set<std::string> variants;
  for (const nlohmann::json& entry : report["rendered"])
    variants.insert(entry["page"].get<std::string>() + "/" + entry["lang"].get<std::string>());
  return variants;
}

}  // namespace isrgen::testing
