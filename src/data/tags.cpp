#include "data/tags.h"

#include <algorithm>

namespace isrgen::data {

std::string source_tag(std::string_view source) { return "source:" + std::string(source); }

std::string record_tag(std::string_view source, std::string_view id) {
  std::string tag(source);
  tag += ':';
  tag += id;
  return tag;
}

std::string term_tag(std::string_view source, std::string_view field, std::string_view value) {
  std::string tag = record_tag(source, field);
  tag += '=';
  tag += value;
  return tag;
}

void sort_unique(std::vector<std::string>& tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
}

}  // namespace isrgen::data
