// The spelling of the dependency tags a source read carries (ARCHITECTURE §3),
// kept in one place because queries record them and source diffs must produce
// exactly the same strings to invalidate them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace isrgen::data {

std::string source_tag(std::string_view source);                                            // "source:models"
std::string record_tag(std::string_view source, std::string_view id);                        // "models:m-12"
std::string term_tag(std::string_view source, std::string_view field, std::string_view value);  // "models:city=Berlin"

// Sorts `tags` and drops repeats: the canonical form every tag list is kept in.
void sort_unique(std::vector<std::string>& tags);

}  // namespace isrgen::data
