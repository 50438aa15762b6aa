// Lower-case hex for digests and signatures, and its inverse for the hex that
// arrives in request headers (either case accepted, as senders differ); the
// percent escapes of URL paths.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isrgen {

std::string hex_encode(const unsigned char* bytes, size_t length);

// The bytes of an even number of hex digits; nullopt for an odd length or any other character.
std::optional<std::vector<unsigned char>> hex_decode(std::string_view hex);

// `text` with its %XX escapes decoded (either case), as URL paths carry them;
// nullopt for an escape that is not two hex digits, and for %00, which no file
// name holds and which would cut a path short in any C API below.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace isrgen
