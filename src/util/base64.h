// Standard base64 (RFC 4648 section 4, with '=' padding), as Standard Webhooks
// carries its signatures and its whsec_ secrets. Decoding is strict: a
// signature that decodes only after forgiving repairs is not the one signed
// (OpenSSL's EVP_DecodeBlock accepts whitespace and keeps padding as zero
// bytes, so isrgen decodes by hand).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isrgen {

// `bytes` as padded base64 text (for data: URIs).
std::string base64_encode(std::string_view bytes);

// The bytes of padded base64 text; nullopt for a length that is not a multiple
// of 4, a character outside the alphabet, misplaced padding or nonzero unused bits.
std::optional<std::vector<unsigned char>> base64_decode(std::string_view text);

}  // namespace isrgen
