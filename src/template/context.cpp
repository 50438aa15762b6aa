#include "template/context.h"

namespace isrgen::tmpl {

namespace {

using nlohmann::json;

const json* child(const json& value, std::string_view key, int32_t index) {
  if (value.is_object()) {
    const auto& members = value.get_ref<const json::object_t&>();
    auto found = members.find(key);  // heterogeneous lookup: no std::string is built
    return found == members.end() ? nullptr : &found->second;
  }
  if (value.is_array() && index >= 0 && static_cast<size_t>(index) < value.size())
    return &value[static_cast<size_t>(index)];
  return nullptr;
}

}  // namespace

Context Context::with(const json& value, Frame& frame) const {
  frame = Frame{&value, pushed_};
  Context inner = *this;
  inner.pushed_ = &frame;
  return inner;
}

const json* Context::top() const {
  if (pushed_ != nullptr) return pushed_->value;
  return base_.empty() ? nullptr : base_.back();
}

const json* Context::find_first(const Template& tmpl, const PathPart& part) const {
  std::string_view key = tmpl.view(part.key);
  for (const Frame* frame = pushed_; frame != nullptr; frame = frame->below) {
    if (const json* found = child(*frame->value, key, part.index)) return found;
  }
  for (auto frame = base_.rbegin(); frame != base_.rend(); ++frame) {
    if (const json* found = child(**frame, key, part.index)) return found;
  }
  return nullptr;
}

const json* Context::find(const Template& tmpl, Path path) const {
  if (path.part_count == 0) return top();
  const PathPart* part = &tmpl.parts[path.first_part];
  const json* value = find_first(tmpl, *part);
  for (uint32_t i = 1; value != nullptr && i < path.part_count; ++i) {
    ++part;
    value = child(*value, tmpl.view(part->key), part->index);
  }
  return value;
}

}  // namespace isrgen::tmpl
