#include "template/references.h"

#include "template/compiled.h"

namespace isrgen::tmpl {
namespace {

// The first segment of the name `node` looks up, and every segment.
void add_name(const Template& tmpl, const Node& node, References& found) {
  if (node.path.part_count == 0) return;
  found.roots.emplace(tmpl.view(tmpl.parts[node.path.first_part].key));
  for (size_t i = 0; i < node.path.part_count; ++i)
    found.segments.emplace(tmpl.view(tmpl.parts[node.path.first_part + i].key));
}

}  // namespace

References references(const Template& tmpl) {
  References found;
  for (const Node& node : tmpl.nodes) {
    switch (node.op) {
      case Op::kEscaped:
      case Op::kRaw:
      case Op::kSection:
      case Op::kInverted:
        add_name(tmpl, node, found);
        break;
      case Op::kPartial:
      case Op::kParent:
        if (node.dynamic) {
          found.dynamic_partials = true;
          add_name(tmpl, node, found);
        } else {
          found.partials.emplace(tmpl.view(node.name));
        }
        break;
      case Op::kText:
      case Op::kBlock:
        break;
    }
  }
  return found;
}

}  // namespace isrgen::tmpl
