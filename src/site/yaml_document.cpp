#include "site/yaml_document.h"

#include <yaml.h>

#include <charconv>
#include <limits>
#include <map>
#include <memory>
#include <vector>

namespace isrgen {
namespace {

using nlohmann::json;

bool parse_integer(std::string_view digits, json& out) {
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

bool parse_float(std::string_view text, json& out) {
  if (text == ".inf" || text == "+.inf" || text == ".Inf" || text == ".INF") {
    out = std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == "-.inf" || text == "-.Inf" || text == "-.INF") {
    out = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (text.find_first_of(".eE") == std::string_view::npos) return false;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return false;
  out = value;
  return true;
}

// YAML 1.2 core schema resolution of a plain (unquoted, untagged) scalar.
json resolve_plain_scalar(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  json number;
  if (parse_integer(text, number) || parse_float(text, number)) return number;
  return std::string(text);
}

json scalar_value(const yaml_event_t& event) {
  std::string_view text(reinterpret_cast<const char*>(event.data.scalar.value), event.data.scalar.length);
  const char* tag = reinterpret_cast<const char*>(event.data.scalar.tag);
  if (tag && std::string_view(tag) == YAML_STR_TAG) return std::string(text);
  if (event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE || (tag && std::string_view(tag) != "!"))
    return resolve_plain_scalar(text);
  return std::string(text);
}

std::string escape_pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// Turns the event stream into one JSON value, keeping the line of each node.
class Builder {
 public:
  Builder(YamlDocument& document, int first_line, const InputLimits& limits)
      : document_(document), first_line_(first_line), limits_(limits) {}

  // Returns an error message when the document uses something unsupported.
  std::string handle(const yaml_event_t& event) {
    int line = first_line_ + static_cast<int>(event.start_mark.line);
    switch (event.type) {
      case YAML_SCALAR_EVENT:
        if (auto over = count_nodes(1); !over.empty()) return over;
        return add_value(scalar_value(event), line, anchor_of(event.data.scalar.anchor), 1);
      case YAML_ALIAS_EVENT: {
        auto found = anchors_.find(reinterpret_cast<const char*>(event.data.alias.anchor));
        if (found == anchors_.end()) return "unknown alias '*" + std::string(reinterpret_cast<const char*>(event.data.alias.anchor)) + "'";
        // Counted before the copy is made, so a bomb never allocates its expansion.
        if (auto over = count_nodes(found->second.nodes); !over.empty()) return over;
        return add_value(found->second.value, line, "", found->second.nodes);
      }
      case YAML_SEQUENCE_START_EVENT:
        return open(json::array(), line, anchor_of(event.data.sequence_start.anchor));
      case YAML_MAPPING_START_EVENT:
        return open(json::object(), line, anchor_of(event.data.mapping_start.anchor));
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        return close();
      default:
        return "";
    }
  }

 private:
  struct Frame {
    json value;
    std::string pointer;
    std::string anchor;
    std::string pending_key;  // mappings: the key waiting for its value
    bool has_key = false;
    int64_t nodes_before = 0;  // nodes_ when the container opened
  };

  // An anchored value and how many nodes it holds, itself included.
  struct Anchored {
    json value;
    int64_t nodes = 1;
  };

  // Adds `count` nodes to the document; a message once past the limit.
  std::string count_nodes(int64_t count) {
    nodes_ += count;
    if (nodes_ <= limits_.front_matter_nodes) return "";
    return "more than " + std::to_string(limits_.front_matter_nodes) +
           " values (aliases counted as what they repeat); raise " + InputLimits::setting("front_matter_nodes") +
           " if this is meant";
  }

  static std::string anchor_of(const yaml_char_t* anchor) {
    return anchor ? reinterpret_cast<const char*>(anchor) : "";
  }

  // Where the next value goes, and its pointer; for a mapping with no pending
  // key the scalar is that key.
  std::string child_pointer(Frame& parent) {
    if (parent.value.is_array()) return parent.pointer + "/" + std::to_string(parent.value.size());
    return parent.pointer + "/" + escape_pointer_token(parent.pending_key);
  }

  std::string add_value(json value, int line, const std::string& anchor, int64_t nodes) {
    if (!anchor.empty()) anchors_[anchor] = Anchored{value, nodes};
    if (stack_.empty()) {
      document_.value = std::move(value);
      document_.lines[""] = line;
      return "";
    }
    Frame& parent = stack_.back();
    if (parent.value.is_object() && !parent.has_key) {
      if (!value.is_string() && !value.is_number() && !value.is_boolean())
        return value.is_null() ? "empty mapping key" : "mapping keys must be plain values";
      parent.pending_key = value.is_string() ? value.get<std::string>() : value.dump();
      parent.has_key = true;
      document_.lines[parent.pointer + "/" + escape_pointer_token(parent.pending_key)] = line;
      return "";
    }
    if (parent.value.is_array()) {
      document_.lines.emplace(child_pointer(parent), line);
      parent.value.push_back(std::move(value));
    } else {
      parent.value[parent.pending_key] = std::move(value);
      parent.has_key = false;
    }
    return "";
  }

  std::string open(json container, int line, const std::string& anchor) {
    if (static_cast<int>(stack_.size()) >= limits_.front_matter_depth)
      return "mappings and sequences nested deeper than " + std::to_string(limits_.front_matter_depth) +
             " levels; raise " + InputLimits::setting("front_matter_depth") + " if this is meant";
    if (auto over = count_nodes(1); !over.empty()) return over;
    std::string pointer;
    if (!stack_.empty()) {
      Frame& parent = stack_.back();
      if (parent.value.is_object() && !parent.has_key) return "mapping keys must be plain values";
      pointer = child_pointer(parent);
      document_.lines.emplace(pointer, line);  // a mapping entry keeps its key's line
    } else {
      document_.lines[""] = line;
    }
    stack_.push_back(Frame{std::move(container), std::move(pointer), anchor, "", false, nodes_ - 1});
    return "";
  }

  std::string close() {
    Frame done = std::move(stack_.back());
    stack_.pop_back();
    if (!done.anchor.empty()) anchors_[done.anchor] = Anchored{done.value, nodes_ - done.nodes_before};
    if (stack_.empty()) {
      document_.value = std::move(done.value);
      return "";
    }
    Frame& parent = stack_.back();
    if (parent.value.is_array()) {
      parent.value.push_back(std::move(done.value));
    } else {
      parent.value[parent.pending_key] = std::move(done.value);
      parent.has_key = false;
    }
    return "";
  }

  YamlDocument& document_;
  int first_line_;
  const InputLimits& limits_;
  std::vector<Frame> stack_;
  std::map<std::string, Anchored> anchors_;
  int64_t nodes_ = 0;  // values so far, aliases expanded
};

struct ParserHandle {
  yaml_parser_t parser;
  ParserHandle() { yaml_parser_initialize(&parser); }
  ~ParserHandle() { yaml_parser_delete(&parser); }
  ParserHandle(const ParserHandle&) = delete;
  ParserHandle& operator=(const ParserHandle&) = delete;
};

struct EventHandle {
  yaml_event_t event;
  ~EventHandle() { yaml_event_delete(&event); }
};

}  // namespace

int YamlDocument::line_of(const std::string& pointer, int fallback) const {
  auto found = lines.find(pointer);
  return found == lines.end() ? fallback : found->second;
}

Result<YamlDocument> parse_yaml(std::string_view text, const std::string& display_path, int first_line,
                                const InputLimits& limits) {
  YamlDocument document;
  ParserHandle handle;
  yaml_parser_set_input_string(&handle.parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  Builder builder(document, first_line, limits);
  int documents = 0;
  for (;;) {
    EventHandle event;
    if (!yaml_parser_parse(&handle.parser, &event.event)) {
      const yaml_parser_t& parser = handle.parser;
      std::string message = "front matter: " + std::string(parser.problem ? parser.problem : "invalid YAML");
      if (parser.context) message += std::string(" ") + parser.context;
      return make_error(display_path, first_line + static_cast<int>(parser.problem_mark.line), message,
                        static_cast<int>(parser.problem_mark.column) + 1);
    }
    if (event.event.type == YAML_STREAM_END_EVENT) break;
    if (event.event.type == YAML_DOCUMENT_START_EVENT && ++documents > 1)
      return make_error(display_path, first_line + static_cast<int>(event.event.start_mark.line),
                        "front matter holds more than one YAML document");
    std::string problem = builder.handle(event.event);
    if (!problem.empty())
      return make_error(display_path, first_line + static_cast<int>(event.event.start_mark.line),
                        "front matter: " + problem, static_cast<int>(event.event.start_mark.column) + 1);
  }
  return document;
}

}  // namespace isrgen
