#include "engine/page_metadata_json.h"

#include <string_view>

#include <nlohmann/json.hpp>

#include "util/json_text.h"

namespace isrgen {
namespace {

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
  append_json_string(out, value);
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
    append_json_string(out, tags[i]);
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
