// Why a build renders a page variant, as the planner decides it
// (engine/planner.h). Each reason reads as a fixed text: the build report
// prints it ("reasons" of `isrgen build --json`), and the state index keeps it
// for `isrgen inspect page` and `isrgen why`, so the texts are a contract.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace isrgen {

enum class ReasonKind {
  kForced,         // "forced": build --force
  kEverything,     // the detail, why every page renders: "content/site.toml changed"
  kNewPage,        // "new page": never rendered before
  kTag,            // "tag:<detail>": the page carries an invalidated tag
  kPath,           // "path:<detail>": a URL asked for the page (revalidate --path)
  kFailedBefore,   // "failed before"
  kOutputMoved,    // "output moved": the page publishes somewhere else now
  kOutputMissing,  // "output missing": its HTML or metadata was deleted
  kOutputChanged,  // "output changed on disk": edited by hand
};

struct RenderReason {
  RenderReason(ReasonKind kind, std::string detail = {}) : kind(kind), detail(std::move(detail)) {}

  ReasonKind kind;
  std::string detail;  // kEverything: why; kTag: the tag; kPath: the URL; else empty

  // The reason's text, as the report prints it and the index stores it.
  std::string to_string() const;

  bool operator==(const RenderReason&) const = default;
};

// to_string() of each reason, in order.
std::vector<std::string> reason_texts(const std::vector<RenderReason>& reasons);

}  // namespace isrgen
