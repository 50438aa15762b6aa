#include "state/page_row_json.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace isrgen {

std::string json_string_array(const std::vector<std::string>& strings) {
  std::string out = "[";
  size_t bytes = 2;
  for (const std::string& text : strings) bytes += text.size() + 3;
  out.reserve(bytes);
  for (size_t i = 0; i < strings.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, strings[i]);
  }
  out += ']';
  return out;
}

std::string json_input_hashes(const std::vector<InputFile>& inputs) {
  std::vector<const InputFile*> sorted;
  sorted.reserve(inputs.size());
  for (const InputFile& input : inputs) sorted.push_back(&input);
  // Stable, so that of equal paths the last stays last and wins below.
  std::stable_sort(sorted.begin(), sorted.end(), [](const InputFile* a, const InputFile* b) { return a->path < b->path; });
  std::string out = "{";
  bool first = true;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i + 1 < sorted.size() && sorted[i + 1]->path == sorted[i]->path) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(out, sorted[i]->path);
    out += ':';
    append_json_string(out, sorted[i]->hash);
  }
  out += '}';
  return out;
}

}  // namespace isrgen
