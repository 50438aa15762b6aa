// Small text helpers shared by the parsers: UTF-8 validation, turning a
// byte offset into a line and column for error messages, trimming.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace isrgen {

struct TextPosition {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in bytes
};

TextPosition position_of(std::string_view text, size_t offset);

// Offset of the first byte that is not part of well-formed UTF-8
// (overlongs, surrogates and code points past U+10FFFF are ill-formed).
std::optional<size_t> first_invalid_utf8(std::string_view text);

constexpr std::string_view kAsciiWhitespace = " \t\r\n\f\v";

// `text` without the `characters` at either end (HTTP's optional whitespace
// is " \t").
std::string_view trim(std::string_view text, std::string_view characters = kAsciiWhitespace);

}  // namespace isrgen
