#include "site/front_matter.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <yaml-cpp/yaml.h>

namespace isrgen {
namespace {

using nlohmann::json;

bool is_line(std::string_view line, std::string_view marker) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  while (line.ends_with(' ') || line.ends_with('\t')) line.remove_suffix(1);
  return line == marker;
}

bool parse_integer(const std::string& text, json& out) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  int base = 10;
  if (digits.starts_with("0x")) base = 16, digits.remove_prefix(2);
  else if (digits.starts_with("0o")) base = 8, digits.remove_prefix(2);
  if (digits.empty()) return false;
  int64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (error != std::errc() || end != digits.data() + digits.size()) return false;
  out = negative ? -value : value;
  return true;
}

bool parse_float(const std::string& text, json& out) {
  if (text == ".inf" || text == "+.inf" || text == ".Inf" || text == ".INF") {
    out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == "-.inf" || text == "-.Inf" || text == "-.INF") {
    out = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (text.find_first_of(".eE") == std::string::npos) return false;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return false;
  out = value;
  return true;
}

// YAML 1.2 core schema resolution of a plain (unquoted) scalar.
json resolve_plain_scalar(const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  json number;
  if (parse_integer(text, number) || parse_float(text, number)) return number;
  return text;
}

}  // namespace

Result<FrontMatterSplit> split_front_matter(std::string_view text, const std::string& display_path) {
  FrontMatterSplit split;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark is not content
  size_t first_end = text.find('\n');
  if (first_end == std::string_view::npos || !is_line(text.substr(0, first_end), "---")) {
    split.body = text;
    return split;
  }
  size_t line_start = first_end + 1;
  int line_number = 2;
  while (line_start <= text.size()) {
    size_t line_end = text.find('\n', line_start);
    std::string_view line = text.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos
                                                                                      : line_end - line_start);
    if (is_line(line, "---") || is_line(line, "...")) {
      split.yaml = text.substr(first_end + 1, line_start - first_end - 1);
      split.yaml_first_line = 2;
      split.body = line_end == std::string_view::npos ? std::string_view() : text.substr(line_end + 1);
      split.body_first_line = line_number + 1;
      return split;
    }
    if (line_end == std::string_view::npos) break;
    line_start = line_end + 1;
    ++line_number;
  }
  return make_error(display_path, 1, "front matter opened with '---' is never closed: add a line '---' after it");
}

json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& entry : node) out[entry.first.as<std::string>()] = yaml_to_json(entry.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& entry : node) out.push_back(yaml_to_json(entry));
      return out;
    }
    case YAML::NodeType::Scalar:
      // yaml-cpp tags plain scalars "?" and quoted ones "!": only plain ones get typed.
      if (node.Tag() == "?") return resolve_plain_scalar(node.Scalar());
      return node.Scalar();
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
  }
  return nullptr;
}

int yaml_line(const YAML::Node& node, int first_line) {
  int mark_line = node.Mark().line;  // 0-based, -1 when unknown
  return mark_line < 0 ? first_line : first_line + mark_line;
}

}  // namespace isrgen
