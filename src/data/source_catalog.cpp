#include "data/source_catalog.h"

#include "util/fs.h"

namespace isrgen::data {
namespace {

Result<Source> load(const SitePaths& paths, const SiteConfig& config, const SourceConfig& source) {
  if (source.is_remote())
    return make_error(config.display_path, source.line,
                      "source '" + source.name + "' is remote (url); this version of isrgen reads local sources "
                      "only: use file = \"data/" + source.name + ".json\"");
  fs::path file = paths.content() / source.file;
  std::string display = relative_display(file, paths.root);
  auto text = read_file(file);
  if (!text.ok())
    return make_error(config.display_path, source.line,
                      "source '" + source.name + "': cannot read " + display + " (" + text.error().message + ")");
  return parse_source(source.name, display, text.value());
}

}  // namespace

SourceCatalog::SourceCatalog(const SitePaths& paths, const SiteConfig& config) : paths_(paths), config_(config) {
  for (const auto& [name, source] : config.sources) {
    auto slot = std::make_unique<Slot>();
    slot->config = &source;
    slots_.emplace(name, std::move(slot));
  }
}

const Result<Source>* SourceCatalog::find(const std::string& name) const {
  auto found = slots_.find(name);
  if (found == slots_.end()) return nullptr;
  Slot& slot = *found->second;
  std::call_once(slot.loaded, [&] { slot.source.emplace(load(paths_, config_, *slot.config)); });
  return &*slot.source;
}

std::string SourceCatalog::names() const {
  std::string out;
  for (const auto& [name, slot] : slots_) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none configured" : out;
}

}  // namespace isrgen::data
