// What becomes of the unknown keys of site.toml and of a page's front matter
// (site/key_warning.h) once the templates are known: those a template reads
// are its fields and vanish; the others are warnings, or under --strict the
// first of them is the error.
#pragma once

#include <string>
#include <vector>

#include "render/template_set.h"
#include "site/key_warning.h"
#include "util/error.h"

namespace isrgen {

// The warnings of `typos` that stand with `templates`, as "file:line: message";
// with `strict`, the first that stands as an error instead.
Result<std::vector<std::string>> standing_key_warnings(const std::vector<KeyWarning>& typos,
                                                       const TemplateSet& templates, bool strict);

}  // namespace isrgen
