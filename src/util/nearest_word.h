// "Did you mean" for names a user types: settings in site.toml and front
// matter, subcommands. A word is near a known one when few single-character
// edits (insert, delete, replace, swap two neighbours) turn one into the other,
// relative to its length, so "layuot" finds "layout" and "x" finds nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isrgen {

// The edits (optimal string alignment: insert, delete, replace, or swap of two
// adjacent characters) between `a` and `b`, compared byte for byte.
size_t edit_distance(std::string_view a, std::string_view b);

// The known word nearest to `word`, when it is within a third of the longer
// one's length (at least 1 edit) and is not `word` itself; the first of ties.
std::optional<std::string> nearest_word(std::string_view word, const std::vector<std::string>& known);

// " (did you mean 'layout'?)" when a known word is near `word`, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& known);

// What to say after "unknown setting 'x'": did_you_mean's answer when a known
// word is near, else " (known: a, b, c)".
std::string known_words_hint(std::string_view word, const std::vector<std::string>& known);

}  // namespace isrgen
