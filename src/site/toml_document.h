// content/site.toml parsed with toml++, bounded. toml++ recurses once per
// segment of a dotted key ([site.a.a.a...] or a.a.a = 1): about 100,000
// segments, a 200 KB file, overflow the stack while parsing. Its own
// TOML_MAX_NESTED_VALUES bounds arrays and inline tables only. So the text is
// checked first: at most kMaxTomlKeySegments segments in one dotted key, and
// at most kMaxTomlNesting open brackets and braces.
#pragma once

#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "util/error.h"

namespace isrgen {

inline constexpr int kMaxTomlKeySegments = 64;
inline constexpr int kMaxTomlNesting = 64;

// The table `text` holds, or an error at `display_path:line:column` (a TOML
// syntax error, or a key or nesting past the limits above).
Result<toml::table> parse_toml_document(std::string_view text, const std::string& display_path);

}  // namespace isrgen
