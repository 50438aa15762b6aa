#include "engine/build_report.h"

#include "engine/problem_groups.h"

namespace isrgen {

const char* command_name(BuildCommand command) {
  switch (command) {
    case BuildCommand::kBuild: return "build";
    case BuildCommand::kRevalidate: return "revalidate";
  }
  return "build";
}

nlohmann::ordered_json BuildReport::to_json() const {
  using nlohmann::ordered_json;
  ordered_json rendered_json = ordered_json::array();
  for (const RenderedEntry& entry : rendered)
    rendered_json.push_back({{"page", entry.page},
                             {"lang", entry.lang},
                             {"output", entry.output},
                             {"changed", entry.changed},
                             {"reasons", reason_texts(entry.reasons)}});
  ordered_json failed_json = ordered_json::array();
  for (const FailedEntry& entry : failed)
    failed_json.push_back({{"page", entry.page}, {"lang", entry.lang}, {"error", entry.error}});
  ordered_json warnings_json = ordered_json::array();
  for (const WarningEntry& entry : warnings)
    warnings_json.push_back({{"page", entry.page}, {"lang", entry.lang}, {"warning", entry.warning}});
  ordered_json fetched_json = ordered_json::array();
  for (const FetchEntry& entry : fetched)
    fetched_json.push_back({{"source", entry.source},
                            {"outcome", data::fetch_result_name(entry.outcome)},
                            {"status", entry.status},
                            {"attempts", entry.attempts},
                            {"ms", entry.ms}});
  ordered_json degraded_json = ordered_json::array();
  for (const DegradedEntry& entry : degraded) {
    ordered_json pages_json = ordered_json::array();
    for (const auto& [page, lang] : entry.pages) pages_json.push_back({{"page", page}, {"lang", lang}});
    ordered_json item{{"source", entry.source}, {"error", entry.error}, {"serving", data::serving_name(entry.serving)}};
    if (entry.snapshot_age_s >= 0) item["snapshot_age_s"] = entry.snapshot_age_s;
    item["pages"] = std::move(pages_json);
    degraded_json.push_back(std::move(item));
  }
  ordered_json phases = ordered_json::object();
  for (const auto& [phase, ms] : phase_ms) phases[phase] = ms;
  int rendered_count = static_cast<int>(rendered.size());
  int failed_count = static_cast<int>(failed.size());
  return {{"command", command_name(command)},
          {"rendered", std::move(rendered_json)},
          {"deleted", deleted},
          {"failed", std::move(failed_json)},
          {"errors", failure_groups_json(*this)},
          {"warnings", std::move(warnings_json)},
          {"invalidated", invalidated},
          {"fetched", std::move(fetched_json)},
          {"degraded", std::move(degraded_json)},
          {"stats",
           {{"pages", pages},
            {"rendered", rendered_count},
            {"written", written},
            {"unchanged", unchanged},
            {"failed", failed_count},
            {"deferred", deferred},
            {"prepared", prepared},
            {"images_encoded", images_encoded},
            {"images_reused", images_reused},
            {"images_probed", images_probed},
            {"images_fetched", images_fetched},
            {"duration_ms", duration_ms},
            {"phases_ms", std::move(phases)}}}};
}

}  // namespace isrgen
