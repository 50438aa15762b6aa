#include "site/translation.h"

#include <algorithm>

#include "site/json_merge.h"

namespace isrgen {
namespace {

bool is_blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

template <class T>
std::string list_ids(const std::vector<T>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item.id;
  return out.empty() ? "none" : out;
}

Status merge_component(ComponentSpec& base, const ComponentSpec& overlay) {
  if (!overlay.type.empty() && overlay.type != base.type)
    return make_error(overlay.file, overlay.line,
                      "component '" + overlay.id + "' is " + base.type + " on the default-language page, not " +
                          overlay.type + " (a translation cannot change a component's type)");
  if (!overlay.source.empty()) base.source = overlay.source;
  if (!overlay.filter.is_null()) base.filter = overlay.filter;
  if (!overlay.sort.is_null()) base.sort = overlay.sort;
  if (!overlay.limit.is_null()) base.limit = overlay.limit;
  if (!overlay.cache.empty()) base.cache = overlay.cache;
  deep_merge(base.config, overlay.config);
  base.file = overlay.file;
  base.line = overlay.line;
  return Status::Ok();
}

Status merge_section(SectionSpec& base, const SectionSpec& overlay, const std::string& overlay_file) {
  for (const ComponentSpec& component : overlay.components) {
    auto target = std::find_if(base.components.begin(), base.components.end(),
                               [&](const ComponentSpec& c) { return c.id == component.id; });
    if (target == base.components.end())
      return make_error(overlay_file, component.line,
                        "component '" + component.id + "' is not in section '" + base.id +
                            "' of the default-language page (components: " + list_ids(base.components) + ")");
    if (auto status = merge_component(*target, component); !status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace

Result<PageFile> merge_translation(const PageFile& base, const PageFile& translation) {
  PageFile merged = base;
  merged.display_path = translation.display_path;
  merged.content_hash = translation.content_hash;
  deep_merge(merged.front_matter, translation.front_matter);
  for (const auto& [field, location] : translation.field_locations) merged.field_locations[field] = location;
  for (const SectionSpec& section : translation.sections) {
    auto target = std::find_if(merged.sections.begin(), merged.sections.end(),
                               [&](const SectionSpec& s) { return s.id == section.id; });
    if (target == merged.sections.end())
      return make_error(translation.display_path, section.line,
                        "section '" + section.id + "' is not on the default-language page " + base.display_path +
                            " (sections: " + list_ids(base.sections) + ")");
    if (auto status = merge_section(*target, section, translation.display_path); !status.ok()) return status.error();
  }
  if (!is_blank(translation.body)) {
    merged.body = translation.body;
    merged.body_line = translation.body_line;
  }
  return merged;
}

}  // namespace isrgen
