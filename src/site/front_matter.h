// Splits a page file into YAML front matter and Markdown body, and turns YAML
// into JSON with YAML 1.2 core-schema typing (plain `42` is a number, `"42"` a
// string), remembering where things were for error messages.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace YAML {
class Node;
}

namespace isrgen {

struct FrontMatterSplit {
  std::string_view yaml;  // empty when the file has no front matter
  std::string_view body;
  int yaml_first_line = 0;  // file line of the first YAML line (1-based); 0 when none
  int body_first_line = 1;
};

// Front matter is the block between a first line "---" and the next line that is
// "---" or "...". A file without a first "---" is all body.
Result<FrontMatterSplit> split_front_matter(std::string_view text, const std::string& display_path);

nlohmann::json yaml_to_json(const YAML::Node& node);

// File line (1-based) of a YAML node parsed from a block starting at `first_line`.
int yaml_line(const YAML::Node& node, int first_line);

}  // namespace isrgen
