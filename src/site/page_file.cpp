#include "site/page_file.h"

#include <algorithm>
#include <cctype>

#include <yaml-cpp/yaml.h>

#include "site/front_matter.h"
#include "util/hash.h"
#include "util/text.h"

namespace isrgen {
namespace {

using nlohmann::json;

const std::vector<std::string> kComponentKeys = {"id", "type", "source", "filter", "sort", "limit", "config"};

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

class PageFileParser {
 public:
  PageFileParser(std::string display_path, int yaml_first_line)
      : path_(std::move(display_path)), first_line_(yaml_first_line) {}

  Status parse(const YAML::Node& root, PageFile& page) {
    if (!root.IsDefined() || root.IsNull()) return Status::Ok();
    if (!root.IsMap()) return error_at(root, "front matter must be a mapping of fields (title: ..., sections: ...)");
    for (const auto& entry : root) {
      std::string key = entry.first.as<std::string>();
      page.field_locations[key] = FieldLocation{path_, yaml_line(entry.first, first_line_)};
      if (key == "sections") {
        page.has_sections = true;
        if (auto status = parse_sections(entry.second, page.sections); !status.ok()) return status;
      } else {
        page.front_matter[key] = yaml_to_json(entry.second);
      }
    }
    return validate_fields(root, page.front_matter);
  }

 private:
  Error error_at(const YAML::Node& node, std::string message) const {
    return make_error(path_, yaml_line(node, first_line_), std::move(message));
  }

  Status validate_fields(const YAML::Node& root, const json& fields) const {
    if (auto priority = fields.find("priority"); priority != fields.end()) {
      if (!priority->is_string() || (*priority != "high" && *priority != "medium" && *priority != "low"))
        return error_at(root["priority"], "priority must be high, medium or low");
    }
    if (auto tags = fields.find("tags"); tags != fields.end()) {
      bool strings = tags->is_array() && std::all_of(tags->begin(), tags->end(), [](const json& t) {
                       return t.is_string() && !t.get_ref<const std::string&>().empty();
                     });
      if (!strings) return error_at(root["tags"], "tags must be a list of strings, e.g. tags: [campaign:summer]");
    }
    if (auto layout = fields.find("layout"); layout != fields.end() && !layout->is_string())
      return error_at(root["layout"], "layout must be a template name, e.g. layout: page");
    return Status::Ok();
  }

  Status parse_sections(const YAML::Node& node, std::vector<SectionSpec>& sections) {
    if (node.IsNull()) return Status::Ok();
    if (!node.IsSequence()) return error_at(node, "sections must be a list: - id: hero\\n  components: [...]");
    for (const auto& section_node : node) {
      if (!section_node.IsMap()) return error_at(section_node, "each section must be a mapping with id and components");
      SectionSpec section;
      section.line = yaml_line(section_node, first_line_);
      section.id = section_node["id"] ? section_node["id"].as<std::string>()
                                      : "section-" + std::to_string(sections.size() + 1);
      const YAML::Node components = section_node["components"];
      if (components && !components.IsNull()) {
        if (!components.IsSequence()) return error_at(components, "components of section '" + section.id + "' must be a list");
        for (const auto& component_node : components) {
          auto status = parse_component(component_node, section);
          if (!status.ok()) return status;
        }
      }
      sections.push_back(std::move(section));
    }
    return Status::Ok();
  }

  Status parse_component(const YAML::Node& node, SectionSpec& section) {
    if (!node.IsMap()) return error_at(node, "a component must be a mapping with at least a type");
    for (const auto& entry : node) {
      std::string key = entry.first.as<std::string>();
      if (std::find(kComponentKeys.begin(), kComponentKeys.end(), key) == kComponentKeys.end())
        return error_at(entry.first, "unknown component field '" + key +
                                         "' (known: id, type, source, filter, sort, limit, config)");
    }
    ComponentSpec component;
    component.file = path_;
    component.line = yaml_line(node, first_line_);
    if (node["type"]) component.type = node["type"].as<std::string>();
    if (node["source"]) component.source = node["source"].as<std::string>();
    component.id = node["id"] ? node["id"].as<std::string>()
                              : lowercase(component.type.empty() ? "component" : component.type) + "-" +
                                    std::to_string(section.components.size() + 1);
    component.filter = node["filter"] ? yaml_to_json(node["filter"]) : json();
    component.sort = node["sort"] ? yaml_to_json(node["sort"]) : json();
    component.limit = node["limit"] ? yaml_to_json(node["limit"]) : json();
    if (node["config"]) {
      component.config = yaml_to_json(node["config"]);
      if (!component.config.is_object() && !component.config.is_null())
        return error_at(node["config"], "config of component '" + component.id + "' must be a mapping");
      if (component.config.is_null()) component.config = json::object();
    }
    bool queries = !component.filter.is_null() || !component.sort.is_null() || !component.limit.is_null();
    if (queries && component.source.empty())
      return error_at(node, "component '" + component.id + "' has filter/sort/limit but no source");
    section.components.push_back(std::move(component));
    return Status::Ok();
  }

  std::string path_;
  int first_line_;
};

}  // namespace

Result<PageFile> parse_page_file(std::string_view text, std::string display_path) {
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

  int first_line = split.value().yaml_first_line;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(split.value().yaml));
    auto status = PageFileParser(display_path, first_line).parse(root, page);
    if (!status.ok()) return status.error();
  } catch (const YAML::Exception& error) {
    int line = error.mark.line < 0 ? first_line : first_line + error.mark.line;
    int column = error.mark.column < 0 ? 0 : error.mark.column + 1;
    return make_error(display_path, line, "front matter: " + error.msg, column);
  }
  return page;
}

}  // namespace isrgen
