// Splits a page file into YAML front matter and Markdown body.
#pragma once

#include <string>
#include <string_view>

#include "util/error.h"

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

}  // namespace isrgen
