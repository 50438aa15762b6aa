// HMAC-SHA256 (OpenSSL libcrypto), shared by the side that signs webhooks
// (CDN purge) and the side that checks them (isrgen serve), so both agree on
// the bytes. Checks compare whole digests in constant time: how long a
// comparison takes must not tell an attacker how many leading bytes were right.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace isrgen {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest hmac_sha256(std::string_view key, std::string_view message);
std::string hmac_sha256_hex(std::string_view key, std::string_view message);  // lower-case hex

// Equal digests, in time independent of their contents (CRYPTO_memcmp).
bool digests_equal(const Sha256Digest& a, const Sha256Digest& b);

// Equal strings of any lengths, in time independent of where they differ and
// of the position of the first difference: both are reduced to fixed-size
// MACs first, so neither an early exit on length nor on content exists.
bool strings_equal_constant_time(std::string_view a, std::string_view b);

}  // namespace isrgen
