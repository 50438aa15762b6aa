#include "engine/render_reason.h"

namespace isrgen {

std::string RenderReason::to_string() const {
  switch (kind) {
    case ReasonKind::kForced: return "forced";
    case ReasonKind::kEverything: return detail;
    case ReasonKind::kNewPage: return "new page";
    case ReasonKind::kTag: return "tag:" + detail;
    case ReasonKind::kPath: return "path:" + detail;
    case ReasonKind::kFailedBefore: return "failed before";
    case ReasonKind::kOutputMoved: return "output moved";
    case ReasonKind::kOutputMissing: return "output missing";
    case ReasonKind::kOutputChanged: return "output changed on disk";
  }
  return detail;
}

std::vector<std::string> reason_texts(const std::vector<RenderReason>& reasons) {
  std::vector<std::string> texts;
  texts.reserve(reasons.size());
  for (const RenderReason& reason : reasons) texts.push_back(reason.to_string());
  return texts;
}

}  // namespace isrgen
