// Every template of a site (templates/layouts, components, partials), each read
// and compiled once per build. Compile errors are kept per template so only the
// pages that use a broken template fail. Also the resolver for {{> name}} and
// {{< name}}: templates/partials/<name> first, then templates/layouts/<name>.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "site/key_warning.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "template/template.h"
#include "util/error.h"
#include "util/folder_walk.h"

namespace isrgen {

enum class TemplateKind { kLayout, kComponent, kPartial };

struct TemplateEntry {
  std::string name;          // "page", "MODEL_SHOWCASE", "cards/model"
  TemplateKind kind;
  std::string display_path;  // "templates/components/MODEL_SHOWCASE.mustache"
  std::string content_hash;
  std::shared_ptr<const tmpl::Template> compiled;  // null when `error` is set
  std::optional<Error> error;
  // Whether rendering it (with the partials it names) can read `page`: a
  // component template that cannot renders the same on every page, so its
  // output can be shared between pages.
  bool reads_page = true;

  std::string tag() const;  // "layout:page", "component:HERO_BANNER", "partial:nav"
};

class TemplateSet final : public tmpl::PartialResolver {
 public:
  // Compiles every template of the site; a template that cannot be read (a
  // link out of the site, over `max_bytes`) or compiled keeps its error. A
  // template folder that cannot be listed is the error.
  static Result<TemplateSet> load(const SitePaths& paths, int64_t max_bytes = InputLimits{}.template_bytes,
                                  const FolderLister& lister = disk_folder_lister());

  const TemplateEntry* layout(const std::string& name) const { return lookup(layouts_, name); }
  const TemplateEntry* component(const std::string& type) const { return lookup(components_, type); }
  // What {{> name}} resolves to: a partial, else a layout (for {{< base}} parents).
  const TemplateEntry* partial_entry(const std::string& name) const;

  const tmpl::Template* find(std::string_view name) const override;

  // Whether a warning about an unknown key stands: always, unless templates
  // may read the key and some template names it (`{{page.hero_image}}`,
  // `{{#page}}{{hero_image}}{{/page}}`).
  bool warning_stands(const KeyWarning& warning) const {
    return !warning.templates_may_read || !names_read_.contains(warning.key);
  }

  std::vector<std::string> layout_names() const { return names_of(layouts_); }
  std::vector<std::string> component_types() const { return names_of(components_); }

 private:
  using Entries = std::map<std::string, TemplateEntry, std::less<>>;
  static const TemplateEntry* lookup(const Entries& entries, std::string_view name);
  static std::vector<std::string> names_of(const Entries& entries);
  static Status load_folder(const SitePaths& paths, const FolderLister& lister, const std::string& folder,
                            TemplateKind kind, int64_t max_bytes, Entries& into);
  bool can_read_page(const TemplateEntry& entry, std::set<const TemplateEntry*>& visiting) const;

  Entries layouts_;
  Entries components_;
  Entries partials_;
  std::set<std::string, std::less<>> names_read_;  // every segment of every name a template looks up
};

}  // namespace isrgen
