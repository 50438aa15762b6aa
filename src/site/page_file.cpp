#include "site/page_file.h"

#include <algorithm>
#include <cctype>

#include <optional>

#include "site/front_matter.h"
#include "site/yaml_document.h"
#include "util/hash.h"
#include "util/nearest_word.h"
#include "util/text.h"

namespace isrgen {
namespace {

using nlohmann::json;

const std::vector<std::string> kComponentKeys = {"id", "type", "source", "filter", "sort", "limit", "config", "cache"};
const std::vector<std::string> kSectionKeys = {"id", "components"};
// The top-level fields isrgen reads; every other one is the templates' (`page.title`).
const std::vector<std::string> kPageKeys = {"aliases", "layout", "priority", "sections", "tags"};

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// A scalar as text (ids and types may be written as numbers in YAML).
std::optional<std::string> scalar_string(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return std::nullopt;
}

class PageFileParser {
 public:
  PageFileParser(std::string display_path, const YamlDocument& document)
      : path_(std::move(display_path)), document_(document) {}

  Status parse(PageFile& page) {
    const json& root = document_.value;
    if (root.is_null()) return Status::Ok();
    if (!root.is_object()) return error_at("", "front matter must be a mapping of fields (title: ..., sections: ...)");
    for (auto field = root.begin(); field != root.end(); ++field) {
      const std::string& key = field.key();
      page.field_locations[key] = FieldLocation{path_, line_of("/" + key)};
      if (auto typo = near_owned_key(key, kPageKeys, path_, line_of("/" + key), "the front matter"))
        page.key_warnings.push_back(std::move(*typo));
      if (key == "sections") {
        page.has_sections = true;
        if (auto status = parse_sections(field.value(), page.sections, page.key_warnings); !status.ok()) return status;
      } else {
        page.front_matter[key] = field.value();
      }
    }
    return validate_fields(page.front_matter);
  }

 private:
  int line_of(const std::string& pointer) const { return document_.line_of(pointer, document_.line_of("")); }
  Error error_at(const std::string& pointer, std::string message) const {
    return make_error(path_, line_of(pointer), std::move(message));
  }

  Status validate_fields(const json& fields) const {
    if (auto priority = fields.find("priority"); priority != fields.end()) {
      if (!priority->is_string() || (*priority != "high" && *priority != "medium" && *priority != "low"))
        return error_at("/priority", "priority must be high, medium or low");
    }
    if (auto tags = fields.find("tags"); tags != fields.end()) {
      bool strings = tags->is_array() && std::all_of(tags->begin(), tags->end(), [](const json& t) {
                       return t.is_string() && !t.get_ref<const std::string&>().empty();
                     });
      if (!strings) return error_at("/tags", "tags must be a list of strings, e.g. tags: [campaign:summer]");
    }
    if (auto layout = fields.find("layout"); layout != fields.end() && !layout->is_string())
      return error_at("/layout", "layout must be a template name, e.g. layout: page");
    return Status::Ok();
  }

  Status parse_sections(const json& sections_value, std::vector<SectionSpec>& sections,
                        std::vector<KeyWarning>& key_warnings) {
    if (sections_value.is_null()) return Status::Ok();
    if (!sections_value.is_array()) return error_at("/sections", "sections must be a list: - id: hero, components: [...]");
    for (size_t i = 0; i < sections_value.size(); ++i) {
      const json& section_value = sections_value[i];
      std::string pointer = "/sections/" + std::to_string(i);
      if (!section_value.is_object()) return error_at(pointer, "each section must be a mapping with id and components");
      SectionSpec section;
      section.line = line_of(pointer);
      auto id = section_value.find("id");
      section.id = id != section_value.end() && scalar_string(*id) ? *scalar_string(*id)
                                                                   : "section-" + std::to_string(i + 1);
      for (auto field = section_value.begin(); field != section_value.end(); ++field)
        if (std::find(kSectionKeys.begin(), kSectionKeys.end(), field.key()) == kSectionKeys.end())
          key_warnings.push_back(unknown_key(field.key(), kSectionKeys, path_, line_of(pointer + "/" + field.key()),
                                             "section '" + section.id + "'"));
      auto components = section_value.find("components");
      if (components != section_value.end() && !components->is_null()) {
        if (!components->is_array())
          return error_at(pointer + "/components", "components of section '" + section.id + "' must be a list");
        for (size_t k = 0; k < components->size(); ++k) {
          auto status = parse_component((*components)[k], pointer + "/components/" + std::to_string(k), section);
          if (!status.ok()) return status;
        }
      }
      sections.push_back(std::move(section));
    }
    return Status::Ok();
  }

  Status parse_component(const json& value, const std::string& pointer, SectionSpec& section) {
    if (!value.is_object()) return error_at(pointer, "a component must be a mapping with at least a type");
    for (auto field = value.begin(); field != value.end(); ++field) {
      if (std::find(kComponentKeys.begin(), kComponentKeys.end(), field.key()) == kComponentKeys.end())
        return error_at(pointer + "/" + field.key(),
                        "unknown component field '" + field.key() + "'" + known_words_hint(field.key(), kComponentKeys));
    }
    ComponentSpec component;
    component.file = path_;
    component.line = line_of(pointer);
    auto text_field = [&](const char* name) -> std::string {
      auto found = value.find(name);
      return found != value.end() && scalar_string(*found) ? *scalar_string(*found) : "";
    };
    component.type = text_field("type");
    component.source = text_field("source");
    component.cache = text_field("cache");
    component.id = text_field("id");
    if (component.id.empty())
      component.id = lowercase(component.type.empty() ? "component" : component.type) + "-" +
                     std::to_string(section.components.size() + 1);
    component.filter = value.value("filter", json());
    component.sort = value.value("sort", json());
    component.limit = value.value("limit", json());
    if (auto config = value.find("config"); config != value.end() && !config->is_null()) {
      if (!config->is_object())
        return error_at(pointer + "/config", "config of component '" + component.id + "' must be a mapping");
      component.config = *config;
    }
    bool queries = !component.filter.is_null() || !component.sort.is_null() || !component.limit.is_null();
    if (queries && component.source.empty())
      return error_at(pointer, "component '" + component.id + "' has filter/sort/limit but no source");
    section.components.push_back(std::move(component));
    return Status::Ok();
  }

  std::string path_;
  const YamlDocument& document_;
};

}  // namespace

Result<PageFile> parse_page_file(std::string_view text, std::string display_path, const InputLimits& limits) {
  if (auto bad = first_invalid_utf8(text)) {
    TextPosition at = position_of(text, *bad);
    return make_error(display_path, at.line, "invalid UTF-8 (save the file as UTF-8)", at.column);
  }
  auto split = split_front_matter(text, display_path);
  if (!split.ok()) return split.error();
  PageFile page;
  page.display_path = display_path;
  page.content_hash = content_hash(text);
  page.body = std::string(split.value().body);
  page.body_line = split.value().body_first_line;
  if (split.value().yaml.empty()) return page;

  auto document = parse_yaml(split.value().yaml, display_path, split.value().yaml_first_line, limits);
  if (!document.ok()) return document.error();
  auto status = PageFileParser(display_path, document.value()).parse(page);
  if (!status.ok()) return status.error();
  return page;
}

}  // namespace isrgen
