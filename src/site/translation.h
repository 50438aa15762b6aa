// Merging a translation over its default-language page. A translation file
// carries only what it overrides: front-matter fields (deep-merged), component
// settings matched by section id and component id (config deep-merged), and the
// body when it is not blank. Everything else comes from the default page.
#pragma once

#include "site/page_file.h"
#include "util/error.h"

namespace isrgen {

// `base` merged with `translation`; an override naming a section or component the
// default page does not have is an error (a typo would otherwise vanish silently).
Result<PageFile> merge_translation(const PageFile& base, const PageFile& translation);

}  // namespace isrgen
