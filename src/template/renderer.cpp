// Rendering walks the node list of compiled.h. Per-render state lives on the
// C++ stack (section frames, the blocks a parent overrides, indentation), so
// a render allocates nothing beyond the output it appends (and RenderUsage,
// when asked for).

#include <optional>

#include "template/compiled.h"
#include "template/context.h"
#include "template/output.h"
#include "template/url_check.h"
#include "template/value.h"

namespace isrgen::tmpl {

namespace {

// The blocks passed by the parents being rendered, innermost first.
struct Overrides {
  const Template* tmpl;
  uint32_t parent;  // index of the kParent node whose body holds the blocks
  const Overrides* outer;
};

struct Scope {
  Context context;
  const Overrides* overrides;
  int depth;  // bodies entered so far: sections, partials, parents, blocks

  Scope nested(Context inner_context, const Overrides* inner_overrides) const {
    return Scope{inner_context, inner_overrides, depth + 1};
  }
};

struct Body {
  const Template* tmpl;
  uint32_t begin;
  uint32_t end;
};

// The content that replaces block `name`. Overrides from outer parents win
// over inner ones: the page that extends a layout has the last word over the
// layouts it builds on.
std::optional<Body> find_override(std::string_view name, const Overrides* overrides) {
  std::optional<Body> found;
  for (const Overrides* args = overrides; args != nullptr; args = args->outer) {
    const std::vector<Node>& nodes = args->tmpl->nodes;
    for (uint32_t i = args->parent + 1; i < nodes[args->parent].subtree_end; i = nodes[i].subtree_end) {
      if (nodes[i].op == Op::kBlock && args->tmpl->view(nodes[i].name) == name) {
        found = Body{args->tmpl, i + 1, nodes[i].subtree_end};
        break;
      }
    }
  }
  return found;
}

std::string location(const Template& tmpl, const Node& node) {
  return tmpl.display_path + ':' + std::to_string(node.line) + ':' + std::to_string(node.column);
}

// The name as written in the tag, rebuilt from its parts.
std::string field_name(const Template& tmpl, Path path) {
  if (path.part_count == 0) return ".";
  std::string name;
  for (uint32_t i = 0; i < path.part_count; ++i)
    name.append(i == 0 ? "" : ".").append(tmpl.view(tmpl.parts[path.first_part + i].key));
  return name;
}

bool is_allowed_in(UrlPart part, std::string_view value) {
  switch (part) {
    case UrlPart::kNone: return true;
    case UrlPart::kStart: return is_allowed_url(value);
    case UrlPart::kSrcset: return is_allowed_srcset(value, false);
    case UrlPart::kSrcsetContinued: return is_allowed_srcset(value, true);
  }
  return true;
}

class Renderer {
 public:
  Renderer(const PartialResolver* partials, std::string& out, RenderUsage* usage)
      : partials_(partials), output_(out), usage_(usage) {}

  void render(const Template& tmpl, uint32_t begin, uint32_t end, Scope scope) {
    for (uint32_t i = begin; i < end && !stopped_; i = tmpl.nodes[i].subtree_end) {
      const Node& node = tmpl.nodes[i];
      switch (node.op) {
        case Op::kText: output_.literal(tmpl.view(node.text)); break;
        case Op::kEscaped:
          interpolate(tmpl, node, scope, node.placement.unquoted ? Escape::kUnquotedAttribute : Escape::kHtml);
          break;
        case Op::kRaw: interpolate(tmpl, node, scope, Escape::kNone); break;
        case Op::kSection: section(tmpl, i, scope); break;
        case Op::kInverted: inverted(tmpl, i, scope); break;
        case Op::kPartial:
        case Op::kParent: include(tmpl, i, scope); break;
        case Op::kBlock: block(tmpl, i, scope); break;
      }
    }
  }

 private:
  void interpolate(const Template& tmpl, const Node& node, Scope scope, Escape escape) {
    const nlohmann::json* value = scope.context.find(tmpl, node.path);
    if (value == nullptr) return;
    NumberBuffer buffer;
    std::string_view text = display_text(*value, buffer);
    if (node.placement.url != UrlPart::kNone && !is_allowed_in(node.placement.url, text)) {
      record_unsafe_url(tmpl, node, text);
      text = "#";
    }
    output_.value(text, escape);
  }

  void section(const Template& tmpl, uint32_t index, Scope scope) {
    const Node& node = tmpl.nodes[index];
    const nlohmann::json* value = scope.context.find(tmpl, node.path);
    if (!is_truthy(value) || !may_descend(tmpl, node, scope)) return;
    Context::Frame frame;
    if (!value->is_array()) {
      render(tmpl, index + 1, node.subtree_end, scope.nested(scope.context.with(*value, frame), scope.overrides));
      return;
    }
    for (const nlohmann::json& item : *value) {
      render(tmpl, index + 1, node.subtree_end, scope.nested(scope.context.with(item, frame), scope.overrides));
    }
  }

  void inverted(const Template& tmpl, uint32_t index, Scope scope) {
    const Node& node = tmpl.nodes[index];
    if (is_truthy(scope.context.find(tmpl, node.path)) || !may_descend(tmpl, node, scope)) return;
    render(tmpl, index + 1, node.subtree_end, scope.nested(scope.context, scope.overrides));
  }

  // Partials and parents: a parent is a partial whose blocks may be overridden.
  void include(const Template& tmpl, uint32_t index, Scope scope) {
    const Node& node = tmpl.nodes[index];
    NumberBuffer buffer;
    std::string_view name = tmpl.view(node.name);
    if (node.dynamic) {
      const nlohmann::json* value = scope.context.find(tmpl, node.path);
      name = value == nullptr ? std::string_view() : display_text(*value, buffer);
      if (name.empty()) return;  // the spec: a failed dynamic name renders nothing
    }
    const Template* target = partials_ != nullptr ? partials_->find(name) : nullptr;
    record_use(tmpl, node, name, target != nullptr);
    if (target == nullptr || !may_descend(tmpl, node, scope)) return;

    Output::IndentScope indent(output_, tmpl.view(node.text), node.standalone);
    Overrides args{&tmpl, index, scope.overrides};
    Scope inner = scope.nested(scope.context, node.op == Op::kParent ? &args : scope.overrides);
    render(*target, 0, static_cast<uint32_t>(target->nodes.size()), inner);
  }

  // Renders the block's overriding content if a parent passed one, else its
  // own default content, either way indented as the block is.
  void block(const Template& tmpl, uint32_t index, Scope scope) {
    const Node& node = tmpl.nodes[index];
    if (!may_descend(tmpl, node, scope)) return;
    std::optional<Body> body = find_override(tmpl.view(node.name), scope.overrides);
    if (!body) body = Body{&tmpl, index + 1, node.subtree_end};
    Output::IndentScope indent(output_, tmpl.view(node.text), node.standalone);
    render(*body->tmpl, body->begin, body->end, scope.nested(scope.context, scope.overrides));
  }

  // Whether one more level of nesting is allowed. Past the limit the whole
  // render stops, which also cuts off templates that fan out exponentially.
  bool may_descend(const Template& tmpl, const Node& node, Scope scope) {
    if (scope.depth < kMaxRenderDepth) return true;
    stopped_ = true;
    if (usage_ != nullptr) usage_->depth_exceeded = location(tmpl, node);
    return false;
  }

  void record_use(const Template& tmpl, const Node& node, std::string_view name, bool found) {
    if (usage_ == nullptr) return;
    if (found) {
      usage_->partials.emplace(name);
      return;
    }
    auto [entry, first_miss] = usage_->missing.try_emplace(std::string(name));
    if (first_miss) entry->second = location(tmpl, node);
  }

  void record_unsafe_url(const Template& tmpl, const Node& node, std::string_view value) {
    if (usage_ == nullptr) return;
    usage_->unsafe_urls.push_back({location(tmpl, node), field_name(tmpl, node.path), std::string(value)});
  }

  const PartialResolver* partials_;
  Output output_;
  RenderUsage* usage_;
  bool stopped_ = false;
};

}  // namespace

void render(const Template& tmpl, std::span<const nlohmann::json* const> context_stack, const PartialResolver* partials,
            std::string& out, RenderUsage* usage) {
  Renderer renderer(partials, out, usage);
  renderer.render(tmpl, 0, static_cast<uint32_t>(tmpl.nodes.size()), Scope{Context(context_stack), nullptr, 0});
}

std::string render_to_string(const Template& tmpl, const nlohmann::json& context, const PartialResolver* partials,
                             RenderUsage* usage) {
  std::string out;
  const nlohmann::json* frames[] = {&context};
  render(tmpl, frames, partials, out, usage);
  return out;
}

}  // namespace isrgen::tmpl
