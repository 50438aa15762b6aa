// Content hashes for change detection: xxHash3 (64-bit), printed as 16 hex digits.
// Not cryptographic; used only to tell whether bytes changed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace isrgen {

uint64_t content_hash64(std::string_view bytes);
std::string content_hash(std::string_view bytes);  // 16 lowercase hex digits
std::string hex64(uint64_t value);

// Incremental hashing of several pieces, each length-prefixed so that
// ("ab","c") and ("a","bc") differ.
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  Hasher& add(std::string_view piece);
  uint64_t digest() const;
  std::string hex() const { return hex64(digest()); }

 private:
  void* state_;
};

}  // namespace isrgen
