// The text of a page's index.metadata.json (ARCHITECTURE §2), appended to a
// string as it is walked. It was an nlohmann::ordered_json tree dumped with
// dump(2) on every page rendered; building and freeing the tree cost more than
// the page's own template rendering. The text is byte for byte that dump's
// (page_metadata_json_test.cpp holds the two side by side), so the metadata
// of an unchanged page is never rewritten across versions.
#pragma once

#include <string>

#include "render/page_renderer.h"

namespace isrgen {

// The metadata of `page`, whose HTML has `output_hash`, generated at
// `generated_at` (format_iso8601_utc): keys in the order page, tenant, lang,
// url, permalink, output, priority, cache, tags, inputs, output_hash,
// generated_at, indented by two spaces per level, strings escaped as nlohmann
// escapes them (control characters as \b \t \n \f \r or \u00XX, other UTF-8
// as it is), and a newline at the end. A string that is not well-formed UTF-8
// is handed to nlohmann, which throws its type_error, as its dump() does.
std::string page_metadata_json(const RenderedPage& page, const std::string& output_hash,
                               const std::string& generated_at);

}  // namespace isrgen
