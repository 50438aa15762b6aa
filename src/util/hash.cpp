#include "util/hash.h"

#include <xxhash.h>

namespace isrgen {

uint64_t content_hash64(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

std::string hex64(uint64_t value) {
  static const char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) out[i] = digits[value & 0xf];
  return out;
}

std::string content_hash(std::string_view bytes) { return hex64(content_hash64(bytes)); }

Hasher::Hasher() : state_(XXH3_createState()) { XXH3_64bits_reset(static_cast<XXH3_state_t*>(state_)); }
Hasher::~Hasher() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

Hasher& Hasher::add(std::string_view piece) {
  auto* state = static_cast<XXH3_state_t*>(state_);
  uint64_t length = piece.size();
  XXH3_64bits_update(state, &length, sizeof length);
  XXH3_64bits_update(state, piece.data(), piece.size());
  return *this;
}

uint64_t Hasher::digest() const { return XXH3_64bits_digest(static_cast<XXH3_state_t*>(state_)); }

}  // namespace isrgen
