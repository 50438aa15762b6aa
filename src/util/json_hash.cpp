#include "util/json_hash.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace isrgen {
namespace {

using nlohmann::json;

// Type tags. Every piece starts with one, so no piece of one type can equal
// a piece of another.
constexpr char kNull = 'n', kFalse = 'f', kTrue = 't', kNegative = '-', kNonNegative = '+', kFloat = 'd',
               kString = 's', kArray = 'a', kObject = 'o', kBinary = 'b';

// A tag followed by `bits` as 8 little-endian bytes, whatever the host's order.
void add_tagged_word(Hasher& hasher, char tag, uint64_t bits) {
  char piece[9];
  piece[0] = tag;
  for (int i = 0; i < 8; ++i) piece[1 + i] = static_cast<char>((bits >> (8 * i)) & 0xff);
  hasher.add(std::string_view(piece, sizeof piece));
}

// A tag and then the bytes as a piece of their own (Hasher prefixes each
// piece with its length, so the two pieces cannot run together).
void add_tagged_bytes(Hasher& hasher, char tag, std::string_view bytes) {
  hasher.add(std::string_view(&tag, 1)).add(bytes);
}

}  // namespace

void add_json(Hasher& hasher, const json& value) {
  switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
      add_tagged_word(hasher, kNull, 0);
      return;
    case json::value_t::boolean:
      add_tagged_word(hasher, value.get<bool>() ? kTrue : kFalse, 0);
      return;
    case json::value_t::number_integer: {
      int64_t number = value.get<int64_t>();
      if (number < 0) add_tagged_word(hasher, kNegative, static_cast<uint64_t>(number));
      else add_tagged_word(hasher, kNonNegative, static_cast<uint64_t>(number));
      return;
    }
    case json::value_t::number_unsigned:
      add_tagged_word(hasher, kNonNegative, value.get<uint64_t>());
      return;
    case json::value_t::number_float:
      add_tagged_word(hasher, kFloat, std::bit_cast<uint64_t>(value.get<double>()));
      return;
    case json::value_t::string:
      add_tagged_bytes(hasher, kString, value.get_ref<const std::string&>());
      return;
    case json::value_t::binary: {
      const json::binary_t& bytes = value.get_binary();
      add_tagged_bytes(hasher, kBinary,
                       std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
      return;
    }
    case json::value_t::array:
      add_tagged_word(hasher, kArray, value.size());
      for (const json& element : value) add_json(hasher, element);
      return;
    case json::value_t::object:
      add_tagged_word(hasher, kObject, value.size());
      for (auto member = value.begin(); member != value.end(); ++member) {
        hasher.add(member.key());
        add_json(hasher, member.value());
      }
      return;
  }
}

std::string json_hash(const json& value) {
  Hasher hasher;
  add_json(hasher, value);
  return hasher.hex();
}

}  // namespace isrgen
