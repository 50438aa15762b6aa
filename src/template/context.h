// The context stack of a render: the caller's frames at the bottom, then one
// frame per section entered. Section frames live on the renderer's C++ stack
// as a linked list, so entering a section allocates nothing, and every frame
// is a pointer to JSON owned by the caller: nothing is copied.
#pragma once

#include <span>

#include <nlohmann/json.hpp>

#include "template/compiled.h"

namespace isrgen::tmpl {

class Context {
 public:
  struct Frame {
    const nlohmann::json* value;
    const Frame* below;
  };

  explicit Context(std::span<const nlohmann::json* const> base) : base_(base) {}

  // This context with `value` on top; `frame` holds the link and must outlive the result.
  Context with(const nlohmann::json& value, Frame& frame) const;

  // The spec's resolution: "." is the top frame; otherwise the first segment
  // is looked up from the top frame down, and the others only inside what it
  // found. A segment of digits also indexes an array. nullptr when missing.
  const nlohmann::json* find(const Template& tmpl, Path path) const;

 private:
  const nlohmann::json* top() const;
  const nlohmann::json* find_first(const Template& tmpl, const PathPart& part) const;

  std::span<const nlohmann::json* const> base_;
  const Frame* pushed_ = nullptr;
};

}  // namespace isrgen::tmpl
