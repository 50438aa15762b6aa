// YAML to JSON for front matter, with YAML 1.2 core-schema typing (plain `42`
// is a number, `"42"` a string) and the line of every node, for messages.
//
// Built on libyaml's event parser rather than yaml-cpp: on a typical 700-byte
// front matter libyaml's events take ~10 µs where yaml-cpp's YAML::Load takes
// ~110 µs, and front matter is parsed for every page of every build.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "site/site_config.h"
#include "util/error.h"

namespace isrgen {

struct YamlDocument {
  nlohmann::json value;  // null for an empty document
  // JSON pointer ("" for the root, "/sections/0/components/1", "/title") ->
  // file line where that node starts; for mapping entries, where the key is.
  std::unordered_map<std::string, int> lines;

  int line_of(const std::string& pointer, int fallback = 0) const;
};

// `first_line` is the file line of the YAML's first line; errors carry
// `display_path`, the file line and column. Mappings and sequences nested past
// `limits.front_matter_depth`, and more than `limits.front_matter_nodes`
// values (an alias counts as all the values it repeats: a "billion laughs"
// stops here), are errors.
Result<YamlDocument> parse_yaml(std::string_view text, const std::string& display_path, int first_line,
                                const InputLimits& limits = {});

}  // namespace isrgen
