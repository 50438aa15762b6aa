// The compiled form of a template, shared by the compiler and the renderer.
//
// A template is a flat vector of nodes in document order. A node with a body
// (section, inverted section, parent, block) is followed by its body, and
// every node records `subtree_end`, the index just past itself and its body,
// so the renderer walks a body as a range and skips one in O(1). All strings
// (literal text, names, indentation) live in one pool and are referenced by
// Span, so the whole template is a handful of allocations.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "template/html_context.h"
#include "template/template.h"

namespace isrgen::tmpl {

struct Span {
  uint32_t offset = 0;
  uint32_t size = 0;
};

// One segment of a dotted name. `index` is set when the segment is all
// digits, so "authors.0.name" can step into an array.
struct PathPart {
  Span key;
  int32_t index = -1;
};

// A dotted name, split at compile time. No parts means the implicit iterator ".".
struct Path {
  uint32_t first_part = 0;
  uint32_t part_count = 0;
};

enum class Op : uint8_t {
  kText,      // literal template text
  kEscaped,   // {{name}}
  kRaw,       // {{{name}}} or {{&name}}
  kSection,   // {{#name}}body{{/name}}
  kInverted,  // {{^name}}body{{/name}}
  kPartial,   // {{>name}}
  kParent,    // {{<name}}blocks{{/name}}: the body holds the overriding blocks
  kBlock,     // {{$name}}default{{/name}}
};

struct Node {
  Op op = Op::kText;
  // Partial, parent, block: the tag sat alone on its line, so the included
  // content starts a fresh line and `text` indents each of its lines.
  bool standalone = false;
  bool dynamic = false;  // partial, parent: the name is looked up in the context ({{>*path}})
  Placement placement = {};  // {{name}} in an HTML template: what its value needs beyond HTML escaping
  uint32_t subtree_end = 0;
  Span text = {};     // text: the literal; partial, parent, block: indentation
  Span name = {};     // partial, parent, block: the name as written
  Path path = {};     // variables, sections, dynamic partials and parents
  uint32_t line = 0;  // tags: where the tag is, for RenderUsage
  uint32_t column = 0;
};

class Template {
 public:
  std::string display_path;
  std::string pool;
  std::vector<Node> nodes;
  std::vector<PathPart> parts;

  std::string_view view(Span span) const { return std::string_view(pool).substr(span.offset, span.size); }
};

}  // namespace isrgen::tmpl
