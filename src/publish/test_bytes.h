// Bytes for the compression tests (gzip_test.cpp, zstd_codec_test.cpp): a
// third from a simple generator, which compresses poorly, the rest a repeat,
// which compresses well; the same size always gives the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace isrgen::publish::testing {

inline std::string mixed_bytes(size_t size) {
  std::string bytes(size, '\0');
  uint32_t state = 2463534242u;
  for (size_t i = 0; i < size; ++i) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    bytes[i] = i % 3 == 0 ? static_cast<char>(state) : 'a';
  }
  return bytes;
}

}  // namespace isrgen::publish::testing
