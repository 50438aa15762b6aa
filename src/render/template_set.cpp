#include "render/template_set.h"

#include <algorithm>
#include <tuple>

#include "site/dependency_tag.h"
#include "template/references.h"
#include "util/confined_file.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/text.h"

namespace isrgen {
namespace {

constexpr std::string_view kExtension = ".mustache";

TemplateEntry compile_entry(const SitePaths& paths, std::string name, TemplateKind kind, std::string display_path,
                            int64_t max_bytes) {
  TemplateEntry entry{std::move(name), kind, std::move(display_path), "", nullptr, std::nullopt};
  auto text = read_file_beneath(paths.root, entry.display_path, static_cast<size_t>(max_bytes),
                                InputLimits::setting("template_bytes"));
  if (!text.ok()) {
    entry.error = text.error();
    return entry;
  }
  entry.content_hash = content_hash(text.value());
  if (auto bad = first_invalid_utf8(text.value())) {
    TextPosition at = position_of(text.value(), *bad);
    entry.error = make_error(entry.display_path, at.line, "invalid UTF-8 (save the file as UTF-8)", at.column);
    return entry;
  }
  auto compiled = tmpl::compile(text.value(), entry.display_path, tmpl::Markup::kHtml);
  if (compiled.ok()) entry.compiled = std::move(compiled.value());
  else entry.error = compiled.error();
  return entry;
}

}  // namespace

std::string TemplateEntry::tag() const {
  switch (kind) {
    case TemplateKind::kLayout: return layout_tag(name);
    case TemplateKind::kComponent: return component_tag(name);
    case TemplateKind::kPartial: return partial_tag(name);
  }
  return name;
}

Status TemplateSet::load_folder(const SitePaths& paths, const FolderLister& lister, const std::string& folder,
                                TemplateKind kind, int64_t max_bytes, Entries& into) {
  const fs::path root = paths.templates() / folder;
  return walk_folders(lister, root, [&](const std::string& relative, const std::vector<FolderEntry>& entries) {
    for (const FolderEntry& entry : entries) {
      if (entry.type == FolderEntry::Type::kFolder || !entry.name.ends_with(kExtension)) continue;
      std::string path = relative.empty() ? entry.name : relative + "/" + entry.name;
      std::string name = path.substr(0, path.size() - kExtension.size());
      into.emplace(name, compile_entry(paths, name, kind, relative_display(root / path, paths.root), max_bytes));
    }
    return true;
  });
}

Result<TemplateSet> TemplateSet::load(const SitePaths& paths, int64_t max_bytes, const FolderLister& lister) {
  TemplateSet set;
  for (auto [folder, kind, entries] : {std::tuple{"layouts", TemplateKind::kLayout, &set.layouts_},
                                       std::tuple{"components", TemplateKind::kComponent, &set.components_},
                                       std::tuple{"partials", TemplateKind::kPartial, &set.partials_}})
    if (Status loaded = load_folder(paths, lister, folder, kind, max_bytes, *entries); !loaded.ok())
      return loaded.error();
  for (auto& [type, entry] : set.components_) {
    std::set<const TemplateEntry*> visiting;
    entry.reads_page = set.can_read_page(entry, visiting);
  }
  for (const Entries* entries : {&set.layouts_, &set.components_, &set.partials_})
    for (const auto& [name, entry] : *entries)
      if (entry.compiled) set.names_read_.merge(tmpl::references(*entry.compiled).segments);
  return set;
}

// Conservative: a template that fails to compile, names a missing partial or
// picks partials by a dynamic name counts as reading `page`.
bool TemplateSet::can_read_page(const TemplateEntry& entry, std::set<const TemplateEntry*>& visiting) const {
  if (!entry.compiled) return true;
  if (!visiting.insert(&entry).second) return false;  // already being looked at (recursive partials)
  tmpl::References found = tmpl::references(*entry.compiled);
  if (found.dynamic_partials || found.roots.contains("page")) return true;
  for (const std::string& name : found.partials) {
    const TemplateEntry* partial = partial_entry(name);
    if (!partial || can_read_page(*partial, visiting)) return true;
  }
  return false;
}

const TemplateEntry* TemplateSet::lookup(const Entries& entries, std::string_view name) {
  auto found = entries.find(name);
  return found == entries.end() ? nullptr : &found->second;
}

std::vector<std::string> TemplateSet::names_of(const Entries& entries) {
  std::vector<std::string> names;
  for (const auto& [name, entry] : entries) names.push_back(name);
  return names;
}

const TemplateEntry* TemplateSet::partial_entry(const std::string& name) const {
  if (const TemplateEntry* partial = lookup(partials_, name)) return partial;
  return lookup(layouts_, name);
}

const tmpl::Template* TemplateSet::find(std::string_view name) const {
  const TemplateEntry* entry = lookup(partials_, name);
  if (!entry) entry = lookup(layouts_, name);
  return entry ? entry->compiled.get() : nullptr;
}

}  // namespace isrgen
