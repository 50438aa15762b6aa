// How deep JSON text nests, found before it is parsed. nlohmann's parser keeps
// its own stack on the heap, but every walk over the parsed value (diffing,
// dumping, templates) recurses, so a record nested 100,000 deep (200 KB)
// overflows the stack after parsing. The parser's callback sees the depth but
// not the byte offset, and a message needs the line: hence this scan.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace isrgen {

// The offset of the first '[' or '{' (outside strings) that opens level
// `max_depth` + 1, or nullopt when `text` nests no deeper than `max_depth`.
std::optional<size_t> json_nesting_past(std::string_view text, int max_depth);

}  // namespace isrgen
