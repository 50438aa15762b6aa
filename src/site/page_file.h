// One page file (content/pages/<tenant>/<slug>[.<lang>].md) parsed into its
// front matter, typed sections/components (with their lines, for errors) and
// Markdown body. Translations are parsed the same way and merged later.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "site/site_config.h"
#include "util/error.h"

namespace isrgen {

struct FieldLocation {
  std::string file;
  int line = 0;
};

struct ComponentSpec {
  std::string id;
  std::string type;    // e.g. MODEL_SHOWCASE
  std::string source;  // empty: the component reads no source
  nlohmann::json filter;  // null when absent
  nlohmann::json sort;
  nlohmann::json limit;
  nlohmann::json config = nlohmann::json::object();
  std::string cache;  // a cache profile name; "" when the component names none
  std::string file;  // the page file that last set this component (for errors)
  int line = 0;
};

struct SectionSpec {
  std::string id;
  std::vector<ComponentSpec> components;
  int line = 0;
};

struct PageFile {
  std::string display_path;  // "content/pages/acme/summer.de.md"
  std::string content_hash;
  nlohmann::json front_matter = nlohmann::json::object();  // every field but `sections`
  std::map<std::string, FieldLocation> field_locations;     // front-matter field -> where it was set
  bool has_sections = false;
  std::vector<SectionSpec> sections;
  std::string body;
  int body_line = 1;
};

// Validates UTF-8 and front matter (within `limits`); errors read
// "content/pages/acme/x.md:7: ...".
Result<PageFile> parse_page_file(std::string_view text, std::string display_path, const InputLimits& limits = {});

}  // namespace isrgen
