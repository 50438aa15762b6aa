#include <iostream>

#include "engine/builder.h"
#include "engine/parallel.h"
#include "engine/verify.h"
#include "cli/build_output.h"
#include "cli/commands.h"
#include "cli/console.h"
#include "data/curl_fetcher.h"
#include "site/site_paths.h"
#include "util/clock.h"

namespace isrgen {
namespace {

int run(const CommonFlags& common, BuildOptions options, bool verify) {
  Console console(common.quiet, common.json);
  options.jobs = common.jobs > 0 ? common.jobs : default_jobs();
  options.on_progress = [&console](size_t done, size_t total) { console.progress(done, total); };
  std::unique_ptr<Clock> clock = clock_from_environment();
  data::CurlFetcher fetcher;
  options.fetcher = &fetcher;
  SitePaths paths = make_site_paths(common.site, common.out);
  auto report = run_build(paths, options, *clock);
  if (!report.ok()) {
    console.error(report.error().to_string());
    return exit_code_for(report.error());
  }
  print_build_problems(console, report.value());
  console.build_summary(report.value());
  nlohmann::ordered_json json = report.value().to_json();
  int status = report.value().exit_code();
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

}  // namespace

int build_command(const CommonFlags& common, const BuildFlags& flags) {
  BuildOptions options;
  options.force = flags.force;
  options.offline = flags.offline;
  options.strict = flags.strict;
  return run(common, options, flags.verify);
}

int revalidate_command(const CommonFlags& common, const RevalidateFlags& flags) {
  BuildOptions options;
  options.command = BuildCommand::kRevalidate;
  options.tags = flags.tags;
  options.urls = flags.urls;
  options.refresh_stale_sources = flags.expired;
  options.strict = flags.strict;
  return run(common, options, false);
}

}  // namespace isrgen
