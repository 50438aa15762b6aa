#include "engine/build_report.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("the JSON report spells its command, reasons, fetches and degraded sources as documented", "[build]") {
  BuildReport report;
  report.command = BuildCommand::kRevalidate;
  report.rendered.push_back({"acme/summer", "en", "acme/summer/index.html", true,
                             {{ReasonKind::kTag, "models:m-12"}, {ReasonKind::kPath, "/acme/summer/"}}});
  report.fetched = {{"jobs", data::FetchResult::kUpdated, 200, 1, 40},
                    {"news", data::FetchResult::kUnchanged, 200, 1, 41},
                    {"posts", data::FetchResult::kNotModified, 304, 1, 42},
                    {"prices", data::FetchResult::kFailed, 503, 4, 43}};
  report.degraded = {{"posts", "HTTP 503 after 4 attempts", data::Serving::kStale, 912, {}},
                     {"prices", "HTTP 503 after 4 attempts", data::Serving::kFallback, -1, {}},
                     {"offers", "HTTP 503 after 4 attempts", data::Serving::kNothing, -1, {{"acme/sale", "en"}}}};
  const nlohmann::ordered_json json = report.to_json();

  CHECK(json["command"] == "revalidate");
  CHECK(json["rendered"][0]["reasons"] == nlohmann::ordered_json{"tag:models:m-12", "path:/acme/summer/"});
  std::vector<std::string> outcomes;
  for (const auto& fetch : json["fetched"]) outcomes.push_back(fetch["outcome"]);
  CHECK(outcomes == std::vector<std::string>{"updated", "unchanged", "not modified", "failed"});
  std::vector<std::string> serving;
  for (const auto& degraded : json["degraded"]) serving.push_back(degraded["serving"]);
  CHECK(serving == std::vector<std::string>{"stale snapshot", "fallback", "nothing"});
  CHECK(json["degraded"][0]["snapshot_age_s"] == 912);
  CHECK_FALSE(json["degraded"][1].contains("snapshot_age_s"));
  CHECK(json["degraded"][2]["pages"] == nlohmann::ordered_json::array({{{"page", "acme/sale"}, {"lang", "en"}}}));

  report.command = BuildCommand::kBuild;
  CHECK(report.to_json()["command"] == "build");
}
