// `isrgen build` and `isrgen revalidate`: one run of the rebuild step
// (publish/rebuild.h), then --verify's fresh build when asked.
#include <iostream>

#include "cli/build_output.h"
#include "cli/commands.h"
#include "cli/console.h"
#include "cli/sync_output.h"
#include "data/curl_fetcher.h"
#include "engine/builder.h"
#include "engine/parallel.h"
#include "engine/verify.h"
#include "publish/rebuild.h"
#include "site/site_paths.h"
#include "util/clock.h"

namespace isrgen {
namespace {

// The sync's part of the run: printed, put in the report as "sync", and its exit status.
int report_sync(Console& console, const Result<publish::SyncReport>& sync, bool verbose, nlohmann::ordered_json& json) {
  if (!sync.ok()) {
    console.error("sync: " + sync.error().to_string());
    json["sync"] = {{"error", sync.error().to_string()}};
    return exit_code_for(sync.error());
  }
  print_sync_report(console, sync.value(), verbose);
  json["sync"] = sync.value().to_json();
  return sync.value().exit_code();
}

int run(const CommonFlags& common, publish::RebuildRequest request, bool verify) {
  Console console(common.quiet, common.json);
  BuildOptions& options = request.build;
  options.jobs = common.jobs > 0 ? common.jobs : default_jobs();
  options.on_progress = [&console](size_t done, size_t total) { console.progress(done, total); };
  std::unique_ptr<Clock> clock = clock_from_environment();
  data::CurlFetcher fetcher;
  options.fetcher = &fetcher;
  SitePaths paths = make_site_paths(common.site, common.out);
  auto outcome = publish::rebuild(paths, request, *clock);
  if (!outcome.ok()) {
    console.error(outcome.error().to_string());
    return exit_code_for(outcome.error());
  }
  const BuildReport& report = outcome.value().build;
  if (common.verbose) print_build_files(console, report);
  print_build_problems(console, report, common.verbose);
  console.build_summary(report);
  nlohmann::ordered_json json = report.to_json();
  int status = report.exit_code();
  if (outcome.value().sync) status = report_sync(console, *outcome.value().sync, common.verbose, json);
  if (verify) {
    auto differences = verify_against_fresh_build(paths, options.jobs, *clock);
    if (!differences.ok()) {
      console.error(differences.error().to_string());
      return exit_code_for(differences.error());
    }
    for (const std::string& difference : differences.value()) console.error("verify: " + difference);
    console.note(differences.value().empty() ? "verify: the output equals a fresh full build"
                                             : "verify: " + std::to_string(differences.value().size()) +
                                                   " files differ from a fresh full build");
    json["verify"] = {{"differences", differences.value()}};
    if (!differences.value().empty()) status = kExitFailed;
  }
  if (common.json) std::cout << json.dump(2) << std::endl;
  return status;
}

publish::RebuildRequest syncing(bool sync, const std::string& target) {
  publish::RebuildRequest request;
  request.sync = sync;
  request.sync_options.target = target;
  return request;
}

}  // namespace

int build_command(const CommonFlags& common, const BuildFlags& flags) {
  auto shard = parse_shard(flags.shard, "--shard");
  if (!shard.ok()) {
    std::cerr << shard.error().to_string() << std::endl;
    return kExitUsage;
  }
  if (shard.value().sharded() && (flags.sync || flags.verify || !common.state_url.empty())) {
    std::cerr << "--shard: a shard holds part of the site, so it is neither synced, verified nor kept as the remote "
                 "state alone: run `isrgen merge-state` with every shard, then `isrgen sync`"
              << std::endl;
    return kExitUsage;
  }
  publish::RebuildRequest request = syncing(flags.sync, flags.target);
  request.build.shard = shard.value();
  request.build.force = flags.force;
  request.build.offline = flags.offline;
  request.build.strict = flags.strict;
  return run(common, std::move(request), flags.verify);
}

int revalidate_command(const CommonFlags& common, const RevalidateFlags& flags) {
  publish::RebuildRequest request = syncing(flags.sync, flags.target);
  request.build.command = BuildCommand::kRevalidate;
  request.build.tags = flags.tags;
  request.build.urls = flags.urls;
  request.build.refresh_stale_sources = flags.expired;
  request.build.strict = flags.strict;
  return run(common, std::move(request), false);
}

}  // namespace isrgen
