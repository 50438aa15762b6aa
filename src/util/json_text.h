// JSON text written directly, for the hot paths that would otherwise build a
// nlohmann::json value only to dump it (a page's metadata, its row in the
// state index): the bytes are those nlohmann::json's dump() writes.
#pragma once

#include <string>
#include <string_view>

namespace isrgen {

// Appends `text` as a JSON string ("..." with escapes), exactly as
// nlohmann::json's dump() writes it (ensure_ascii off): the seven characters
// with short escapes, other control characters as \u00XX in lower-case hex,
// every other byte as it is. Throws nlohmann::json::type_error (316), as dump()
// does, when `text` is not UTF-8; `out` is then left as it was.
void append_json_string(std::string& out, std::string_view text);

}  // namespace isrgen
