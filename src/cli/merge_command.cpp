// `isrgen merge-state`: the shards of a sharded build combined into the site
// folder it runs in (engine/shard_merge.h), then one build there, which
// renders nothing and writes what lists every page (the precache manifests).
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/console.h"
#include "engine/builder.h"
#include "engine/parallel.h"
#include "engine/shard_merge.h"
#include "site/site_paths.h"
#include "util/clock.h"

namespace isrgen {

int merge_state_command(const CommonFlags& common, const std::vector<std::string>& part_folders) {
  Console console(common.quiet, common.json);
  const SitePaths into = make_site_paths(common.site, common.out);
  std::vector<SitePaths> parts;
  for (const std::string& folder : part_folders) parts.push_back(make_site_paths(folder, ""));
  std::unique_ptr<Clock> clock = clock_from_environment();
  auto merged = merge_shards(into, parts, clock->now_unix_ms());
  if (!merged.ok()) {
    console.error("merge-state: " + merged.error().to_string());
    return exit_code_for(merged.error());
  }
  // Offline: the snapshots merged are the data every shard rendered with.
  BuildOptions options;
  options.jobs = common.jobs > 0 ? common.jobs : default_jobs();
  options.offline = true;
  auto built = run_build(into, options, *clock);
  if (!built.ok()) {
    console.error("merge-state: the build after the merge: " + built.error().to_string());
    return exit_code_for(built.error());
  }
  const MergeReport& report = merged.value();
  console.note("merged " + std::to_string(report.shards) + " shards: " + std::to_string(report.pages) +
               " pages, " + std::to_string(report.copied) + " files copied");
  console.build_summary(built.value());
  if (common.json) {
    nlohmann::ordered_json json{{"shards", report.shards}, {"pages", report.pages}, {"copied", report.copied}};
    json["build"] = built.value().to_json();
    std::cout << json.dump(2) << std::endl;
  }
  return built.value().exit_code();
}

}  // namespace isrgen
