// A seeded random site and random edits of it, for the differential and
// crash-safety tests. The site is a model in memory (pages, records, templates,
// settings) written out as files; every edit changes the model so that the site
// stays valid (a build of it fails no page), and says what it did in one line
// so a failing sequence can be read and replayed from its seed.
//
// The site: tenants acme and nova, languages en and de, 8-12 pages (some with
// a German translation), layouts base <- page and base <- landing (template
// inheritance), partials header -> nav (nested), footer, promo, badge (used by
// a component), components HERO, MODELS and JOBS, sources models and jobs with
// 12 records each (scalar, numeric and array fields), two static files.
//
// Header-only: the test target lists its support sources by name in
// CMakeLists.txt and globs only *_test.cpp files.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace isrgen::testing {

// Random choices from a seed. Only the engine's raw output is used (the
// standard fixes it for mt19937_64; distributions vary between libraries), so a
// seed replays the same site and edits everywhere.
class Dice {
 public:
  explicit Dice(uint64_t seed) : engine_(seed) {}
  size_t below(size_t n) { return static_cast<size_t>(engine_() % n); }
  int between(int low, int high) { return low + static_cast<int>(below(static_cast<size_t>(high - low + 1))); }
  bool chance(int percent) { return below(100) < static_cast<size_t>(percent); }
  template <class T>
  const T& pick(const std::vector<T>& items) { return items[below(items.size())]; }
  // Between `min` and `max` distinct items of `pool`, in pool order.
  std::vector<std::string> subset(const std::vector<std::string>& pool, size_t min, size_t max) {
    std::vector<std::string> chosen;
    size_t want = min + below(max - min + 1);
    std::vector<size_t> order(pool.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[below(i)]);
    order.resize(std::min(want, order.size()));
    std::sort(order.begin(), order.end());
    for (size_t i : order) chosen.push_back(pool[i]);
    return chosen;
  }

 private:
  std::mt19937_64 engine_;
};

class RandomSite {
 public:
  explicit RandomSite(uint64_t seed) : dice_(seed) {
    site_title_ = title_text();
    more_en_ = "More " + word();
    more_de_ = "Mehr " + word();
    tenant_names_ = {{"acme", "Acme " + capitalized(word())}, {"nova", "Nova " + capitalized(word())}};
    make_sources();
    make_templates();
    statics_["static/acme/css/site.css"] = "body { margin: 0 }\n";
    statics_["static/nova/robots.txt"] = "User-agent: *\n";
    add_new_page("acme", "index");
    add_new_page("nova", "index");
    for (int count = dice_.between(6, 10); count > 0; --count) {
      std::string tenant = dice_.chance(50) ? "acme" : "nova";
      if (auto slug = free_slug(tenant)) add_new_page(tenant, *slug);
    }
  }

  Dice& dice() { return dice_; }

  // Every file of the site by path relative to the site folder.
  std::map<std::string, std::string> files() const {
    std::map<std::string, std::string> files = statics_;
    files["content/site.toml"] = site_toml();
    for (const Source& source : sources_)
      files["content/data/" + source.name + ".json"] = source.records.dump(2) + "\n";
    for (const auto& [id, page] : pages_) {
      std::string stem = "content/pages/" + id;
      files[stem + ".md"] = page_text(page);
      if (page.de) files[stem + ".de.md"] = translation_text(page, *page.de);
    }
    for (const auto& [path, tmpl] : templates_) files[path] = template_text(tmpl);
    return files;
  }

  // Writes what changed since the last call into `root` and removes the files
  // that went away; the first call writes the whole site.
  void sync(const fs::path& root) {
    std::map<std::string, std::string> now = files();
    for (const auto& [path, text] : now)
      if (auto old = synced_.find(path); old == synced_.end() || old->second != text) write_text(root / path, text);
    for (const auto& [path, text] : synced_)
      if (!now.contains(path)) fs::remove(root / path);
    synced_ = std::move(now);
  }

  // Applies one random edit of a random kind; returns "<kind>: <what>".
  std::string random_edit() {
    for (;;) {
      const EditKind& kind = edit_kinds()[dice_.below(edit_kinds().size())];
      if (auto done = (this->*kind.apply)()) {
        ++applied_[kind.name];
        return kind.name + ": " + *done;
      }
    }
  }

  // An edit of the base layout that changes the HTML of every page.
  std::string touch_every_page() {
    Template& base = templates_.at("templates/layouts/base.mustache");
    base.variant = 0;  // the variant whose revision mark is visible in the HTML
    ++base.revision;
    return "base layout: revision " + std::to_string(base.revision);
  }

  // Deletes up to `count` pages (never below four), so that a build has
  // outputs to remove; returns the pages deleted.
  std::string delete_pages(int count) {
    std::string deleted;
    for (int i = 0; i < count; ++i)
      if (auto page = delete_page()) deleted += (deleted.empty() ? "" : ", ") + *page;
    return deleted;
  }

  // The kinds random_edit draws from, equally likely; an edit returns nullopt
  // when it does not apply to the site as it is, and another kind is drawn.
  struct EditKind {
    std::string name;
    std::optional<std::string> (RandomSite::*apply)();
  };
  static const std::vector<EditKind>& edit_kinds() {
    static const std::vector<EditKind> kinds = {
        {"page body", &RandomSite::edit_body},
        {"front matter title", &RandomSite::edit_title},
        {"front matter priority", &RandomSite::edit_priority},
        {"front matter tags", &RandomSite::edit_tags},
        {"front matter layout", &RandomSite::edit_layout_choice},
        {"component config", &RandomSite::edit_component_config},
        {"sort or limit", &RandomSite::edit_sort_or_limit},
        {"filter value", &RandomSite::edit_filter},
        {"translation added", &RandomSite::add_translation},
        {"translation removed", &RandomSite::remove_translation},
        {"page added", &RandomSite::add_page},
        {"page deleted", &RandomSite::delete_page},
        {"page renamed", &RandomSite::rename_page},
        {"record added", &RandomSite::add_record},
        {"record removed", &RandomSite::remove_record},
        {"record changed in a filtered field", &RandomSite::change_record_filtered},
        {"record changed in a non-filtered field", &RandomSite::change_record_unfiltered},
        {"layout template", &RandomSite::edit_layout_template},
        {"component template", &RandomSite::edit_component_template},
        {"partial", &RandomSite::edit_partial},
        {"nested partial", &RandomSite::edit_nested_partial},
        {"site.toml tenant name", &RandomSite::edit_tenant_name},
        {"site.toml [site] value", &RandomSite::edit_site_value},
        {"static file", &RandomSite::edit_static},
    };
    return kinds;
  }
  // How many edits of each kind random_edit made.
  const std::map<std::string, int>& applied() const { return applied_; }

 private:
  // --- the model ---

  enum class FieldKind { kName, kWord, kInt, kDecimal, kWords };
  struct Field {
    std::string name;
    FieldKind kind;
    std::vector<std::string> domain;  // values for kWord, kInt, kWords
    bool filterable;
  };
  struct Source {
    std::string name;
    std::string id_prefix;
    std::string component_type;
    std::vector<Field> fields;
    std::vector<std::vector<std::string>> sorts;
    nlohmann::ordered_json records = nlohmann::ordered_json::array();
    int next_id = 1;
  };
  struct Component {
    std::string id;
    std::string type;    // HERO, MODELS or JOBS
    std::string source;  // "" for HERO
    std::string filter_field;  // "" when unfiltered
    std::vector<std::string> filter_values;
    std::vector<std::string> sort;
    int limit = -1;      // -1: no limit
    std::string text;    // config.headline (HERO) or config.heading
  };
  struct Section {
    std::string id;
    std::vector<Component> components;
  };
  struct Translation {
    std::string title;
    std::string headline;  // "" keeps the default page's hero headline
    std::string body;      // "" keeps the default page's body
  };
  struct Page {
    std::string tenant;
    std::string slug;
    std::string title;
    std::string priority;  // "" when absent
    std::string layout;    // "" when absent
    std::vector<std::string> tags;
    std::vector<Section> sections;
    std::string body;
    std::optional<Translation> de;
  };
  struct Template {
    std::vector<std::string> variants;  // "%REV%" marks where the revision goes
    size_t variant = 0;
    int revision = 1;
  };

  static inline const std::vector<std::string> kWords = {
      "talent", "casting", "summer", "studio", "bright", "future", "stage", "model", "agency", "city",
      "light",  "voice",   "story",  "team",   "open",   "call",   "fresh", "style", "motion", "craft"};
  static inline const std::vector<std::string> kNames = {"Ada", "Ben", "Cleo", "Dan", "Eva", "Finn",
                                                         "Gia", "Hugo", "Ida", "Jon", "Kai", "Lea"};
  static inline const std::vector<std::string> kSlugs = {
      "about", "team", "summer", "winter", "casting", "contact", "faq", "press", "jobs",
      "jobs/berlin", "jobs/paris", "news/launch", "news/awards", "models/top"};
  static inline const std::vector<std::string> kPageTags = {"campaign:summer", "campaign:winter", "promo",
                                                            "featured"};
  static inline const std::vector<std::string> kPriorities = {"", "high", "medium", "low"};
  static inline const std::vector<std::string> kLayouts = {"", "page", "landing"};

  // --- text ---

  const std::string& word() { return dice_.pick(kWords); }
  static std::string capitalized(std::string text) {
    if (!text.empty()) text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
  }
  std::string title_text() { return capitalized(word()) + " " + word(); }
  std::string sentence() {
    std::string out = capitalized(word());
    for (int n = dice_.between(3, 8); n > 0; --n) {
      const std::string& next = word();
      int style = dice_.between(0, 9);
      out += " " + (style == 0 ? "**" + next + "**" : style == 1 ? "[" + next + "](/" + next + "/)" : next);
    }
    return out + ".";
  }
  std::string body_text() {
    std::string out;
    for (int n = dice_.between(1, 3); n > 0; --n) out += sentence() + "\n\n";
    if (dice_.chance(25)) out += "- " + word() + "\n- " + word() + "\n\n";
    if (dice_.chance(15)) out += "| a | b |\n|---|---|\n| " + word() + " | " + word() + " |\n\n";
    return out;
  }
  static std::string quoted(const std::string& text) { return "\"" + text + "\""; }
  static std::string flow_list(const std::vector<std::string>& items, bool quote) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + (quote ? quoted(items[i]) : items[i]);
    return out + "]";
  }
  // A different value than `old` from `make`.
  template <class Make>
  std::string changed(const std::string& old, Make make) {
    for (;;)
      if (std::string value = make(); value != old) return value;
  }

  // --- files ---

  std::string site_toml() const {
    std::string out = "[site]\ntitle = " + quoted(site_title_) +
                      "\ndefault_language = \"en\"\nlanguages = [\"en\", \"de\"]\n[site.strings]\nmore = " +
                      quoted(more_en_) + "\n[site.lang.de.strings]\nmore = " + quoted(more_de_) + "\n";
    for (const auto& [id, name] : tenant_names_)
      out += "\n[tenants." + id + "]\nname = " + quoted(name) + "\nbase_url = \"https://" + id + ".example\"\n";
    for (const Source& source : sources_)
      out += "\n[sources." + source.name + "]\nfile = \"data/" + source.name + ".json\"\n";
    return out;
  }

  static std::string component_text(const Component& component) {
    std::string out = "      - id: " + component.id + "\n        type: " + component.type + "\n";
    if (!component.source.empty()) out += "        source: " + component.source + "\n";
    if (!component.filter_field.empty())
      out += "        filter: { " + component.filter_field + ": " + flow_list(component.filter_values, false) + " }\n";
    if (component.sort.size() == 1) out += "        sort: " + quoted(component.sort[0]) + "\n";
    if (component.sort.size() > 1) out += "        sort: " + flow_list(component.sort, true) + "\n";
    if (component.limit >= 0) out += "        limit: " + std::to_string(component.limit) + "\n";
    out += "        config: { " + std::string(component.type == "HERO" ? "headline" : "heading") + ": " +
           quoted(component.text) + " }\n";
    return out;
  }

  static std::string page_text(const Page& page) {
    std::string out = "---\ntitle: " + quoted(page.title) + "\n";
    if (!page.priority.empty()) out += "priority: " + page.priority + "\n";
    if (!page.layout.empty()) out += "layout: " + page.layout + "\n";
    if (!page.tags.empty()) out += "tags: " + flow_list(page.tags, true) + "\n";
    if (!page.sections.empty()) out += "sections:\n";
    for (const Section& section : page.sections) {
      out += "  - id: " + section.id + "\n    components:\n";
      for (const Component& component : section.components) out += component_text(component);
    }
    return out + "---\n" + page.body;
  }

  static std::string translation_text(const Page& page, const Translation& de) {
    std::string out = "---\ntitle: " + quoted(de.title) + "\n";
    if (!de.headline.empty() && has_hero(page))
      out += "sections:\n  - id: hero\n    components:\n      - id: hero\n        config: { headline: " +
             quoted(de.headline) + " }\n";
    return out + "---\n" + de.body;
  }

  static std::string template_text(const Template& tmpl) {
    std::string text = tmpl.variants[tmpl.variant];
    size_t at = text.find("%REV%");
    if (at != std::string::npos) text.replace(at, 5, "r" + std::to_string(tmpl.revision));
    return text;
  }

  // --- building the model ---

  void make_sources() {
    Source models{"models", "m-", "MODELS", {}, {{"-rating"}, {"name"}, {"city", "-rating"}, {"-rating", "name"}}};
    models.fields = {{"name", FieldKind::kName, {}, false},
                     {"category", FieldKind::kWord, {"fashion", "fitness", "editorial", "commercial"}, true},
                     {"city", FieldKind::kWord, {"berlin", "paris", "rome"}, true},
                     {"rating", FieldKind::kDecimal, {}, false},
                     {"tags", FieldKind::kWords, {"summer", "winter", "runway", "studio"}, true}};
    Source jobs{"jobs", "j-", "JOBS", {}, {{"-salary"}, {"title"}, {"level", "-salary"}}};
    jobs.fields = {{"title", FieldKind::kName, {}, false},
                   {"city", FieldKind::kWord, {"berlin", "paris", "rome", "oslo"}, true},
                   {"level", FieldKind::kInt, {"1", "2", "3"}, true},
                   {"salary", FieldKind::kInt, {"1000", "2000", "3000", "4000", "5000", "6000"}, false},
                   {"skills", FieldKind::kWords, {"acting", "dance", "singing", "modeling"}, true}};
    sources_ = {std::move(models), std::move(jobs)};
    for (Source& source : sources_)
      for (int i = 0; i < 12; ++i) source.records.push_back(new_record(source));
  }

  nlohmann::ordered_json field_value(const Field& field) {
    switch (field.kind) {
      case FieldKind::kName: return dice_.pick(kNames) + " " + capitalized(word());
      case FieldKind::kWord: return dice_.pick(field.domain);
      case FieldKind::kInt: return std::stoi(dice_.pick(field.domain));
      case FieldKind::kDecimal: return dice_.between(10, 50) / 10.0;
      case FieldKind::kWords: return dice_.subset(field.domain, 0, 3);
    }
    return nullptr;
  }

  nlohmann::ordered_json new_record(Source& source) {
    nlohmann::ordered_json record;
    record["id"] = source.id_prefix + std::to_string(source.next_id++);
    for (const Field& field : source.fields) record[field.name] = field_value(field);
    return record;
  }

  void make_templates() {
    auto add = [&](const std::string& path, std::vector<std::string> variants) {
      size_t variant = dice_.below(variants.size());
      templates_[path] = Template{std::move(variants), variant, 1};
    };
    add("templates/layouts/base.mustache",
        {"<!doctype html>\n<html lang=\"{{lang}}\">\n<head><title>{{page.title}} | {{tenant.name}}</title>"
         "{{#alternates}}<link rel=\"alternate\" hreflang=\"{{lang}}\" href=\"{{permalink}}\">{{/alternates}}</head>\n"
         "<body>\n{{> header}}\n{{$main}}<main>nothing</main>{{/main}}\n{{> footer}}\n<!-- base %REV% -->\n"
         "</body>\n</html>\n",
         "<!doctype html>\n<html lang=\"{{lang}}\">\n<head><title>{{page.title}}</title>{{! base %REV% }}</head>\n"
         "<body class=\"{{tenant.id}}\">\n{{> header}}\n{{$main}}{{/main}}\n</body>\n</html>\n"});
    add("templates/layouts/page.mustache",
        {"{{<base}}{{$main}}{{#sections}}<section id=\"{{id}}\">{{{html}}}</section>\n{{/sections}}"
         "<article>{{{content}}}</article>\n<!-- page %REV% -->{{/main}}{{/base}}",
         "{{<base}}{{$main}}<article>{{{content}}}</article>\n{{#sections}}<div class=\"s-{{id}}\">{{{html}}}</div>\n"
         "{{/sections}}{{! page %REV% }}{{/main}}{{/base}}"});
    add("templates/layouts/landing.mustache",
        {"{{<base}}{{$main}}<div class=\"landing\">{{> promo}}\n{{#sections}}{{{html}}}{{/sections}}</div>"
         "<!-- landing %REV% -->{{/main}}{{/base}}",
         "{{<base}}{{$main}}{{#page.tags}}<b>{{.}}</b>{{/page.tags}}{{{content}}}{{/main}}{{/base}}"
         "{{! landing %REV% }}"});
    add("templates/partials/header.mustache",
        {"<header><a href=\"{{page.url}}\">{{tenant.name}}</a> {{> nav}}<!-- header %REV% --></header>",
         "<header class=\"{{lang}}\">{{> nav}} {{tenant.name}}{{! header %REV% }}</header>"});
    add("templates/partials/nav.mustache",
        {"<nav><a href=\"{{page.url}}\">{{site.strings.more}}</a><!-- nav %REV% --></nav>",
         "<nav>{{#alternates}}<a href=\"{{url}}\">{{lang}}</a> {{/alternates}}{{site.strings.more}}"
         "{{! nav %REV% }}</nav>"});
    add("templates/partials/footer.mustache",
        {"<footer>{{site.title}} &middot; {{tenant.name}}<!-- footer %REV% --></footer>",
         "<footer>{{#page.is_home}}home{{/page.is_home}}{{^page.is_home}}{{page.slug}}{{/page.is_home}}"
         "{{! footer %REV% }}</footer>"});
    add("templates/partials/promo.mustache",
        {"<aside class=\"promo\">{{site.title}}<!-- promo %REV% --></aside>",
         "<aside>{{page.title}}{{! promo %REV% }}</aside>"});
    add("templates/partials/badge.mustache",
        {"<span class=\"badge\">{{#skills}}{{.}} {{/skills}}<!-- badge %REV% --></span>",
         "<em>{{level}}{{! badge %REV% }}</em>"});
    add("templates/components/HERO.mustache",
        {"<div class=\"hero\"><h1>{{config.headline}}</h1>{{#page.is_home}}<p>{{tenant.name}}</p>{{/page.is_home}}"
         "<!-- hero %REV% --></div>\n",
         "<h1 class=\"hero\">{{config.headline}}{{! hero %REV% }}</h1>\n"});
    add("templates/components/MODELS.mustache",
        {"<h2>{{config.heading}}</h2><ul>{{#items}}<li data-id=\"{{id}}\">{{name}} ({{category}}, {{city}}) {{rating}}"
         "{{#tags}} #{{.}}{{/tags}}</li>{{/items}}{{^items}}<li>none</li>{{/items}}</ul><!-- models %REV% -->\n",
         "<ol>{{#items}}<li>{{name}}</li>{{/items}}</ol>{{! models %REV% }}\n"});
    add("templates/components/JOBS.mustache",
        {"<h2>{{config.heading}}</h2><ul>{{#items}}<li data-id=\"{{id}}\">{{title}}, {{city}}, level {{level}}, "
         "{{salary}} {{> badge}}</li>{{/items}}</ul><!-- jobs %REV% -->\n",
         "<table>{{#items}}<tr><td>{{title}}</td><td>{{> badge}}</td></tr>{{/items}}</table>{{! jobs %REV% }}\n"});
  }

  Source& source_named(const std::string& name) {
    return *std::find_if(sources_.begin(), sources_.end(), [&](const Source& s) { return s.name == name; });
  }

  void randomize_query(Component& component) {
    Source& source = source_named(component.source);
    component.filter_field.clear();
    component.filter_values.clear();
    if (dice_.chance(70)) set_filter(component, source);
    component.sort = dice_.chance(60) ? dice_.pick(source.sorts) : std::vector<std::string>{};
    component.limit = dice_.chance(50) ? dice_.between(0, 5) : -1;
  }

  void set_filter(Component& component, Source& source) {
    std::vector<const Field*> filterable;
    for (const Field& field : source.fields)
      if (field.filterable) filterable.push_back(&field);
    const Field& field = *filterable[dice_.below(filterable.size())];
    component.filter_field = field.name;
    component.filter_values = dice_.subset(field.domain, 1, 2);
  }

  Component sourced_component(const std::string& id) {
    Source& source = sources_[dice_.below(sources_.size())];
    Component component{id.empty() ? source.name : id, source.component_type, source.name, "", {}, {}, -1,
                        capitalized(word()) + " " + word()};
    randomize_query(component);
    return component;
  }

  Page new_page(const std::string& tenant, const std::string& slug) {
    Page page{tenant, slug, title_text(), dice_.pick(kPriorities), dice_.pick(kLayouts), dice_.subset(kPageTags, 0, 2),
              {}, body_text(), std::nullopt};
    if (dice_.chance(75))
      page.sections.push_back({"hero", {{"hero", "HERO", "", "", {}, {}, -1, sentence()}}});
    if (dice_.chance(80)) {
      Section list{dice_.chance(50) ? "talent" : "openings", {}};
      list.components.push_back(sourced_component(""));
      if (dice_.chance(35)) list.components.push_back(sourced_component("more"));
      page.sections.push_back(std::move(list));
    }
    if (dice_.chance(45)) page.de = new_translation(page);
    return page;
  }

  Translation new_translation(const Page& page) {
    return {title_text(), has_hero(page) && dice_.chance(60) ? sentence() : "", dice_.chance(75) ? body_text() : ""};
  }

  void add_new_page(const std::string& tenant, const std::string& slug) {
    pages_[tenant + "/" + slug] = new_page(tenant, slug);
  }

  static bool has_hero(const Page& page) {
    return !page.sections.empty() && page.sections.front().id == "hero";
  }

  std::optional<std::string> free_slug(const std::string& tenant) {
    std::vector<std::string> free;
    for (const std::string& slug : kSlugs)
      if (!pages_.contains(tenant + "/" + slug)) free.push_back(slug);
    if (!pages_.contains(tenant + "/index")) free.push_back("index");
    if (free.empty()) return std::nullopt;
    return dice_.pick(free);
  }

  // --- picking ---

  template <class Keep>
  Page* pick_page(Keep keep) {
    std::vector<Page*> candidates;
    for (auto& [id, page] : pages_)
      if (keep(page)) candidates.push_back(&page);
    return candidates.empty() ? nullptr : candidates[dice_.below(candidates.size())];
  }
  Page* any_page() {
    return pick_page([](const Page&) { return true; });
  }
  Component* pick_sourced_component() {
    std::vector<Component*> candidates;
    for (auto& [id, page] : pages_)
      for (Section& section : page.sections)
        for (Component& component : section.components)
          if (!component.source.empty()) candidates.push_back(&component);
    return candidates.empty() ? nullptr : candidates[dice_.below(candidates.size())];
  }
  static std::string id_of(const Page& page) { return page.tenant + "/" + page.slug; }

  // --- edits: each returns what it did, or nullopt when it does not apply ---

  std::optional<std::string> edit_body() {
    Page& page = *any_page();
    if (page.de && dice_.chance(35)) {
      page.de->body = changed(page.de->body, [&] { return dice_.chance(80) ? body_text() : ""; });
      return id_of(page) + " (de)";
    }
    page.body = changed(page.body, [&] { return body_text(); });
    return id_of(page);
  }

  std::optional<std::string> edit_title() {
    Page& page = *any_page();
    if (page.de && dice_.chance(35)) {
      page.de->title = changed(page.de->title, [&] { return title_text(); });
      return id_of(page) + " (de): " + page.de->title;
    }
    page.title = changed(page.title, [&] { return title_text(); });
    return id_of(page) + ": " + page.title;
  }

  std::optional<std::string> edit_priority() {
    Page& page = *any_page();
    page.priority = changed(page.priority, [&] { return dice_.pick(kPriorities); });
    return id_of(page) + ": '" + page.priority + "'";
  }

  std::optional<std::string> edit_tags() {
    Page& page = *any_page();
    const std::string& tag = dice_.pick(kPageTags);
    auto found = std::find(page.tags.begin(), page.tags.end(), tag);
    bool removing = found != page.tags.end();
    if (removing) page.tags.erase(found);
    else page.tags.push_back(tag);
    return id_of(page) + (removing ? ": -" : ": +") + tag;
  }

  std::optional<std::string> edit_layout_choice() {
    Page& page = *any_page();
    page.layout = changed(page.layout, [&] { return dice_.pick(kLayouts); });
    return id_of(page) + ": '" + page.layout + "'";
  }

  std::optional<std::string> edit_component_config() {
    Page* page = pick_page([](const Page& p) { return !p.sections.empty(); });
    if (!page) return std::nullopt;
    if (page->de && has_hero(*page) && dice_.chance(35)) {
      page->de->headline = changed(page->de->headline, [&] { return dice_.chance(75) ? sentence() : ""; });
      return id_of(*page) + " (de): hero headline '" + page->de->headline + "'";
    }
    Section& section = page->sections[dice_.below(page->sections.size())];
    Component& component = section.components[dice_.below(section.components.size())];
    component.text = changed(component.text, [&] { return sentence(); });
    return id_of(*page) + ": " + component.id + " '" + component.text + "'";
  }

  std::optional<std::string> edit_sort_or_limit() {
    Component* component = pick_sourced_component();
    if (!component) return std::nullopt;
    if (dice_.chance(50)) {
      std::string before = flow_list(component->sort, false);
      Source& source = source_named(component->source);
      while (flow_list(component->sort, false) == before)
        component->sort = dice_.chance(80) ? dice_.pick(source.sorts) : std::vector<std::string>{};
      return component->id + " sort " + before + " -> " + flow_list(component->sort, false);
    }
    int before = component->limit;
    while (component->limit == before) component->limit = dice_.chance(80) ? dice_.between(0, 6) : -1;
    return component->id + " limit " + std::to_string(before) + " -> " + std::to_string(component->limit);
  }

  std::optional<std::string> edit_filter() {
    Component* component = pick_sourced_component();
    if (!component) return std::nullopt;
    std::string before = component->filter_field + "=" + flow_list(component->filter_values, false);
    Source& source = source_named(component->source);
    while (component->filter_field + "=" + flow_list(component->filter_values, false) == before) {
      int how = dice_.between(0, 9);
      if (how == 0) {
        component->filter_field.clear();
        component->filter_values.clear();
      } else if (how < 4 || component->filter_field.empty()) {
        set_filter(*component, source);
      } else {
        const Field& field = *std::find_if(source.fields.begin(), source.fields.end(),
                                           [&](const Field& f) { return f.name == component->filter_field; });
        component->filter_values = dice_.subset(field.domain, 1, 2);
      }
    }
    return component->id + " filter " + before + " -> " + component->filter_field + "=" +
           flow_list(component->filter_values, false);
  }

  std::optional<std::string> add_translation() {
    Page* page = pick_page([](const Page& p) { return !p.de; });
    if (!page) return std::nullopt;
    page->de = new_translation(*page);
    return id_of(*page);
  }

  std::optional<std::string> remove_translation() {
    Page* page = pick_page([](const Page& p) { return p.de.has_value(); });
    if (!page) return std::nullopt;
    page->de.reset();
    return id_of(*page);
  }

  std::optional<std::string> add_page() {
    if (pages_.size() >= 14) return std::nullopt;
    std::string tenant = dice_.chance(50) ? "acme" : "nova";
    auto slug = free_slug(tenant);
    if (!slug) return std::nullopt;
    add_new_page(tenant, *slug);
    return tenant + "/" + *slug + (pages_.at(tenant + "/" + *slug).de ? " (with de)" : "");
  }

  std::optional<std::string> delete_page() {
    if (pages_.size() <= 4) return std::nullopt;
    std::string id = id_of(*any_page());
    pages_.erase(id);
    return id;
  }

  std::optional<std::string> rename_page() {
    Page* page = pick_page([](const Page& p) { return p.slug != "index"; });
    if (!page) return std::nullopt;
    std::vector<std::string> free;
    for (const std::string& slug : kSlugs)
      if (!pages_.contains(page->tenant + "/" + slug)) free.push_back(slug);
    if (free.empty()) return std::nullopt;
    std::string old_id = id_of(*page);
    Page moved = std::move(*page);
    pages_.erase(old_id);
    moved.slug = dice_.pick(free);
    std::string new_id = id_of(moved);
    pages_[new_id] = std::move(moved);
    return old_id + " -> " + new_id;
  }

  Source& any_source() { return sources_[dice_.below(sources_.size())]; }

  std::optional<std::string> add_record() {
    Source& source = any_source();
    if (source.records.size() >= 16) return std::nullopt;
    nlohmann::ordered_json record = new_record(source);
    size_t at = dice_.below(source.records.size() + 1);
    source.records.insert(source.records.begin() + static_cast<std::ptrdiff_t>(at), record);
    return source.name + ": " + record.dump();
  }

  std::optional<std::string> remove_record() {
    Source& source = any_source();
    if (source.records.size() <= 6) return std::nullopt;
    size_t at = dice_.below(source.records.size());
    std::string id = source.records[at]["id"];
    source.records.erase(source.records.begin() + static_cast<std::ptrdiff_t>(at));
    return source.name + ": " + id;
  }

  // Fields of `source` that some component filters on.
  std::set<std::string> filtered_fields(const std::string& source) const {
    std::set<std::string> fields;
    for (const auto& [id, page] : pages_)
      for (const Section& section : page.sections)
        for (const Component& component : section.components)
          if (component.source == source && !component.filter_field.empty()) fields.insert(component.filter_field);
    return fields;
  }

  std::optional<std::string> change_record_field(Source& source, const Field& field) {
    nlohmann::ordered_json& record = source.records[dice_.below(source.records.size())];
    std::string before = record[field.name].dump();
    while (record[field.name].dump() == before) record[field.name] = field_value(field);
    return source.name + " " + record["id"].get<std::string>() + "." + field.name + ": " + before + " -> " +
           record[field.name].dump();
  }

  std::optional<std::string> change_record_filtered() {
    Source& source = any_source();
    std::set<std::string> used = filtered_fields(source.name);
    std::vector<const Field*> candidates;
    for (const Field& field : source.fields)
      if (field.filterable && (used.empty() || used.contains(field.name) || dice_.chance(20)))
        candidates.push_back(&field);
    if (candidates.empty()) return std::nullopt;
    return change_record_field(source, *candidates[dice_.below(candidates.size())]);
  }

  std::optional<std::string> change_record_unfiltered() {
    Source& source = any_source();
    std::vector<const Field*> candidates;
    for (const Field& field : source.fields)
      if (!field.filterable) candidates.push_back(&field);
    return change_record_field(source, *candidates[dice_.below(candidates.size())]);
  }

  std::optional<std::string> edit_template_of(const std::vector<std::string>& names) {
    const std::string& path = dice_.pick(names);
    Template& tmpl = templates_.at(path);
    tmpl.variant = dice_.below(tmpl.variants.size());
    ++tmpl.revision;
    return path + " variant " + std::to_string(tmpl.variant) + " r" + std::to_string(tmpl.revision);
  }
  std::optional<std::string> edit_layout_template() {
    return edit_template_of({"templates/layouts/base.mustache", "templates/layouts/page.mustache",
                             "templates/layouts/landing.mustache"});
  }
  std::optional<std::string> edit_component_template() {
    return edit_template_of({"templates/components/HERO.mustache", "templates/components/MODELS.mustache",
                             "templates/components/JOBS.mustache"});
  }
  std::optional<std::string> edit_partial() {
    return edit_template_of({"templates/partials/header.mustache", "templates/partials/footer.mustache",
                             "templates/partials/promo.mustache", "templates/partials/badge.mustache"});
  }
  std::optional<std::string> edit_nested_partial() { return edit_template_of({"templates/partials/nav.mustache"}); }

  std::optional<std::string> edit_tenant_name() {
    std::string tenant = dice_.chance(50) ? "acme" : "nova";
    std::string& name = tenant_names_.at(tenant);
    name = changed(name, [&] { return capitalized(word()) + " " + capitalized(word()); });
    return tenant + ": " + name;
  }

  std::optional<std::string> edit_site_value() {
    switch (dice_.between(0, 2)) {
      case 0:
        site_title_ = changed(site_title_, [&] { return title_text(); });
        return "title = " + site_title_;
      case 1:
        more_en_ = changed(more_en_, [&] { return "More " + word(); });
        return "strings.more = " + more_en_;
      default:
        more_de_ = changed(more_de_, [&] { return "Mehr " + word(); });
        return "lang.de.strings.more = " + more_de_;
    }
  }

  std::optional<std::string> edit_static() {
    std::vector<std::string> paths;
    for (const auto& [path, text] : statics_) paths.push_back(path);
    int how = dice_.between(0, 2);
    if (how == 0 && statics_.size() > 1) {
      std::string path = dice_.pick(paths);
      statics_.erase(path);
      return "removed " + path;
    }
    if (how == 1) {
      std::string path = "static/" + std::string(dice_.chance(50) ? "acme" : "nova") + "/img/" + word() + ".txt";
      statics_[path] = changed(statics_[path], [&] { return sentence() + "\n"; });
      return "wrote " + path;
    }
    std::string path = dice_.pick(paths);
    statics_[path] = changed(statics_[path], [&] { return sentence() + "\n"; });
    return "changed " + path;
  }

  Dice dice_;
  std::string site_title_, more_en_, more_de_;
  std::map<std::string, std::string> tenant_names_;
  std::vector<Source> sources_;
  std::map<std::string, Page> pages_;         // by "<tenant>/<slug>"
  std::map<std::string, Template> templates_;  // by path
  std::map<std::string, std::string> statics_;
  std::map<std::string, std::string> synced_;
  std::map<std::string, int> applied_;
};

}  // namespace isrgen::testing
