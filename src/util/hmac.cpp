#include "util/hmac.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "util/hex.h"

namespace isrgen {

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
  Sha256Digest digest{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest.data(), &length);
  return digest;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  Sha256Digest digest = hmac_sha256(key, message);
  return hex_encode(digest.data(), digest.size());
}

bool digests_equal(const Sha256Digest& a, const Sha256Digest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool strings_equal_constant_time(std::string_view a, std::string_view b) {
  // Any fixed key will do: only collision resistance matters here, not secrecy.
  constexpr std::string_view kKey = "isrgen constant-time comparison";
  return digests_equal(hmac_sha256(kKey, a), hmac_sha256(kKey, b));
}

}  // namespace isrgen
