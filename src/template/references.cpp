#include "template/references.h"

#include "template/compiled.h"

namespace isrgen::tmpl {

References references(const Template& tmpl) {
  References found;
  for (const Node& node : tmpl.nodes) {
    switch (node.op) {
      case Op::kEscaped:
      case Op::kRaw:
      case Op::kSection:
      case Op::kInverted:
        if (node.path.part_count > 0) found.roots.emplace(tmpl.view(tmpl.parts[node.path.first_part].key));
        break;
      case Op::kPartial:
      case Op::kParent:
        if (node.dynamic) {
          found.dynamic_partials = true;
          if (node.path.part_count > 0) found.roots.emplace(tmpl.view(tmpl.parts[node.path.first_part].key));
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
