#include "util/json_text.h"

#include <array>

#include <nlohmann/json.hpp>

#include "util/text.h"

namespace isrgen {
namespace {

// Bytes that dump() escapes: the control characters, '"' and '\\'.
constexpr std::array<bool, 256> kEscaped = [] {
  std::array<bool, 256> escaped{};
  for (int byte = 0; byte < 0x20; ++byte) escaped[byte] = true;
  escaped['"'] = escaped['\\'] = true;
  return escaped;
}();

// Written out because nlohmann's serializer is internal to the library.
// Returns whether every byte was ASCII.
bool append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char seen = 0;  // every byte or'ed: its top bit tells of non-ASCII
  size_t run = 0;          // start of the bytes not yet appended
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    seen |= byte;
    if (!kEscaped[byte]) continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    switch (byte) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        const char unicode[] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xf]};
        out.append(unicode, sizeof unicode);
      }
    }
  }
  out.append(text.substr(run));
  return seen < 0x80;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  const size_t start = out.size();
  out += '"';
  const bool ascii = append_escaped(out, text);
  out += '"';
  if (!ascii && first_invalid_utf8(text)) {
    out.resize(start);
    out += nlohmann::json(std::string(text)).dump();  // throws type_error 316, as dump() of a tree does
  }
}

}  // namespace isrgen
