#include "data/source_catalog.h"

#include "util/fs.h"

namespace isrgen::data {
namespace {

Result<Source> load_local(const SitePaths& paths, const SiteConfig& config, const SourceConfig& source) {
  fs::path file = paths.content() / source.file;
  std::string display = relative_display(file, paths.root);
  auto text = read_file(file);
  if (!text.ok())
    return make_error(config.display_path, source.line,
                      "source '" + source.name + "': cannot read " + display + " (" + text.error().message + ")");
  return parse_source(source.name, display, text.value());
}

}  // namespace

SourceCatalog SourceCatalog::load(const SitePaths& paths, const SiteConfig& config) {
  SourceCatalog catalog;
  for (const auto& [name, source] : config.sources) {
    if (source.is_remote()) {
      catalog.sources_.emplace(name, make_error(config.display_path, source.line,
                                                "source '" + name + "' is remote (url); this version of isrgen reads "
                                                "local sources only: use file = \"data/" + name + ".json\""));
      continue;
    }
    catalog.sources_.emplace(name, load_local(paths, config, source));
  }
  return catalog;
}

const Result<Source>* SourceCatalog::find(const std::string& name) const {
  auto found = sources_.find(name);
  return found == sources_.end() ? nullptr : &found->second;
}

std::string SourceCatalog::names() const {
  std::string out;
  for (const auto& [name, source] : sources_) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none configured" : out;
}

}  // namespace isrgen::data
