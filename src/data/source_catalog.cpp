#include "data/source_catalog.h"

#include "data/remote_records.h"
#include "util/confined_file.h"
#include "util/fs.h"

namespace isrgen::data {
namespace {

Result<Source> load_remote(const SiteConfig& config, const SourceConfig& source, std::optional<ServedSource>& served) {
  if (!served)
    return make_error(config.display_path, source.line, "source '" + source.name + "' was not fetched for this build");
  if (served->parsed) return std::move(*served->parsed);
  if (served->serving != Serving::kNothing) return records_from_snapshot(source.name, served->display, served->records, config.limits.json_depth);
  Source empty;
  empty.name = source.name;
  empty.display_path = served->display;
  empty.unavailable = served->unavailable;
  return empty;
}

Result<Source> load(const SitePaths& paths, const SiteConfig& config, const SourceConfig& source) {
  std::string display = relative_display(paths.content() / source.file, paths.root);
  auto text = read_file_beneath(paths.root, display, static_cast<size_t>(config.limits.data_bytes),
                                InputLimits::setting("data_bytes"));
  if (!text.ok())
    return make_error(config.display_path, source.line,
                      "source '" + source.name + "': cannot read " + display + " (" + text.error().message + ")");
  return parse_source(source.name, display, text.value(), config.limits.json_depth);
}

}  // namespace

SourceCatalog::SourceCatalog(const SitePaths& paths, const SiteConfig& config, std::map<std::string, ServedSource> remote)
    : paths_(paths), config_(config) {
  for (const auto& [name, source] : config.sources) {
    auto slot = std::make_unique<Slot>();
    slot->config = &source;
    if (auto served = remote.find(name); served != remote.end()) slot->remote = std::move(served->second);
    slots_.emplace(name, std::move(slot));
  }
}

const Result<Source>* SourceCatalog::find(const std::string& name) const {
  auto found = slots_.find(name);
  if (found == slots_.end()) return nullptr;
  Slot& slot = *found->second;
  std::call_once(slot.loaded, [&] {
    slot.source.emplace(slot.config->is_remote() ? load_remote(config_, *slot.config, slot.remote)
                                                 : load(paths_, config_, *slot.config));
  });
  return &*slot.source;
}

std::string SourceCatalog::names() const {
  std::string out;
  for (const auto& [name, slot] : slots_) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none configured" : out;
}

}  // namespace isrgen::data
