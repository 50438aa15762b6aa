#include "engine/render_reason.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("render reasons read as the texts the report and the state index keep", "[build]") {
  const std::vector<RenderReason> reasons = {
      {ReasonKind::kForced, ""},
      {ReasonKind::kEverything, "content/site.toml changed ([site] or [sources])"},
      {ReasonKind::kNewPage, ""},
      {ReasonKind::kTag, "models:city=New York"},
      {ReasonKind::kPath, "https://acme.example/summer/"},
      {ReasonKind::kFailedBefore, ""},
      {ReasonKind::kOutputMoved, ""},
      {ReasonKind::kOutputMissing, ""},
      {ReasonKind::kOutputChanged, ""},
  };
  CHECK(reason_texts(reasons) == std::vector<std::string>{"forced",
                                                          "content/site.toml changed ([site] or [sources])",
                                                          "new page",
                                                          "tag:models:city=New York",
                                                          "path:https://acme.example/summer/",
                                                          "failed before",
                                                          "output moved",
                                                          "output missing",
                                                          "output changed on disk"});
}
