// Glob patterns of [[deploy.rules]] over '/'-separated keys: `*` and `?` stay
// within one path segment, `**/` spans any number of folders (none included),
// a trailing `**` matches everything below. `**/*.html` matches `index.html`
// and `acme/summer/index.html`.
#pragma once

#include <string_view>

namespace isrgen::publish {

bool glob_matches(std::string_view pattern, std::string_view key);

}  // namespace isrgen::publish
