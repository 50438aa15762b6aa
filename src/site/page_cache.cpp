#include "site/page_cache.h"

namespace isrgen {
namespace {

Result<CacheProfile> named_profile(const SiteConfig& config, const std::string& name, const std::string& file,
                                   int line, const std::string& who) {
  if (const CacheProfile* profile = config.find_profile(name)) return *profile;
  return make_error(file, line,
                    "unknown cache profile '" + name + "' for " + who + " (profiles: " + config.profile_names() +
                        "; add [cache.profiles." + name + "] to content/site.toml)");
}

}  // namespace

Result<CacheProfile> page_cache_profile(const SiteConfig& config, const PageFile& file) {
  std::string own = config.default_profile;
  FieldLocation where{config.display_path, 0};
  if (auto field = file.front_matter.find("cache"); field != file.front_matter.end()) {
    if (auto location = file.field_locations.find("cache"); location != file.field_locations.end())
      where = location->second;
    if (!field->is_string())
      return make_error(where.file, where.line, "cache must be a cache profile name, e.g. cache: hours");
    own = field->get<std::string>();
  }
  auto profile = named_profile(config, own, where.file, where.line, "the page");
  if (!profile.ok()) return profile.error();
  CacheProfile result = profile.value();
  for (const SectionSpec& section : file.sections) {
    for (const ComponentSpec& component : section.components) {
      if (!component.cache.empty()) {
        auto named = named_profile(config, component.cache, component.file, component.line,
                                   "component '" + component.id + "'");
        if (!named.ok()) return named.error();
        result = tightest(result, named.value());
      }
      // An unknown source fails the page where the component reads it.
      if (auto source = config.sources.find(component.source); source != config.sources.end())
        result = tightest(result, source->second.page_cache());
    }
  }
  return result;
}

}  // namespace isrgen
