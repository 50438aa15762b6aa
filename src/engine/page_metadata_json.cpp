#include "engine/page_metadata_json.h"

#include <array>
#include <string_view>

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

// nlohmann's escaping with ensure_ascii off, written out because its
// serializer is internal to the library: the seven characters with short
// escapes, the other control characters as \u00XX in lower-case hex, every
// other byte as it is. Returns whether every byte was ASCII.
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

void append_string(std::string& out, std::string_view text) {
  const size_t start = out.size();
  out += '"';
  const bool ascii = append_escaped(out, text);
  out += '"';
  if (!ascii && first_invalid_utf8(text)) {
    out.resize(start);
    out += nlohmann::json(std::string(text)).dump();  // throws type_error 316, as dump(2) of the tree did
  }
}

// `"key": ` at `indent` spaces; the keys are this file's, none needs escaping.
void append_key(std::string& out, int indent, std::string_view key) {
  out.append(static_cast<size_t>(indent), ' ');
  out += '"';
  out += key;
  out += "\": ";
}

void append_string_member(std::string& out, int indent, std::string_view key, std::string_view value,
                          bool last = false) {
  append_key(out, indent, key);
  append_string(out, value);
  out += last ? "\n" : ",\n";
}

// A number of seconds, null for no bound (CacheProfile::to_json).
void append_seconds_member(std::string& out, int indent, std::string_view key, int64_t seconds, bool last = false) {
  append_key(out, indent, key);
  out += seconds == kNoBound ? "null" : std::to_string(seconds);
  out += last ? "\n" : ",\n";
}

void append_cache(std::string& out, const CacheProfile& cache) {
  append_key(out, 2, "cache");
  out += "{\n";
  append_string_member(out, 4, "profile", cache.name);
  append_seconds_member(out, 4, "stale", cache.stale_seconds);
  append_seconds_member(out, 4, "revalidate", cache.revalidate_seconds);
  append_seconds_member(out, 4, "expire", cache.expire_seconds, true);
  out += "  },\n";
}

// dump(2) prints an empty array as [] and any other with one element a line.
void append_tags(std::string& out, const std::vector<std::string>& tags) {
  append_key(out, 2, "tags");
  if (tags.empty()) {
    out += "[],\n";
    return;
  }
  out += "[\n";
  for (size_t i = 0; i < tags.size(); ++i) {
    out += "    ";
    append_string(out, tags[i]);
    out += i + 1 < tags.size() ? ",\n" : "\n";
  }
  out += "  ],\n";
}

void append_inputs(std::string& out, const std::vector<InputFile>& inputs) {
  append_key(out, 2, "inputs");
  if (inputs.empty()) {
    out += "[],\n";
    return;
  }
  out += "[\n";
  for (size_t i = 0; i < inputs.size(); ++i) {
    out += "    {\n";
    append_string_member(out, 6, "path", inputs[i].path);
    append_string_member(out, 6, "hash", inputs[i].hash, true);
    out += i + 1 < inputs.size() ? "    },\n" : "    }\n";
  }
  out += "  ],\n";
}

}  // namespace

std::string page_metadata_json(const RenderedPage& page, const std::string& output_hash,
                               const std::string& generated_at) {
  std::string out;
  out.reserve(512 + 48 * page.tags.size() + 96 * page.inputs.size());
  out += "{\n";
  append_string_member(out, 2, "page", page.page);
  append_string_member(out, 2, "tenant", page.tenant);
  append_string_member(out, 2, "lang", page.lang);
  append_string_member(out, 2, "url", page.url);
  append_string_member(out, 2, "permalink", page.permalink);
  append_string_member(out, 2, "output", page.output);
  append_string_member(out, 2, "priority", page.priority);
  append_cache(out, page.cache);
  append_tags(out, page.tags);
  append_inputs(out, page.inputs);
  append_string_member(out, 2, "output_hash", output_hash);
  append_string_member(out, 2, "generated_at", generated_at, true);
  out += "}\n";
  return out;
}

}  // namespace isrgen
