#include <iostream>

#include "build/builder.h"
#include "build/parallel.h"
#include "build/verify.h"
#include "cli/commands.h"
#include "cli/console.h"
#include "data/curl_fetcher.h"
#include "data/source_refresh.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/human_units.h"

namespace isrgen {
namespace {

void warn_degraded(Console& console, const BuildReport& report) {
  for (const DegradedEntry& entry : report.degraded) {
    std::string served;
    if (entry.serving == data::serving_name(data::Serving::kStale))
      served = "serving the snapshot fetched " + format_duration_ms(entry.snapshot_age_s * 1000) + " ago";
    else if (entry.serving == data::serving_name(data::Serving::kFallback))
      served = "serving its bundled fallback";
    else
      served = "nothing to serve: " + std::to_string(entry.pages.size()) +
               " pages show their empty state (--strict fails them instead)";
    console.warning("source '" + entry.source + "': " + entry.error + "; " + served);
  }
}

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
    return kExitUsage;
  }
  for (const auto& failure : report.value().failed) console.error(failure.error);
  warn_degraded(console, report.value());
  console.build_summary(report.value());
  nlohmann::ordered_json json = report.value().to_json();
  int status = report.value().exit_code();
  if (verify) {
    auto differences = verify_against_fresh_build(paths, options.jobs, *clock);
    if (!differences.ok()) {
      console.error(differences.error().to_string());
      return kExitUsage;
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
  options.command = "revalidate";
  options.tags = flags.tags;
  options.urls = flags.urls;
  options.refresh_stale_sources = flags.expired;
  options.strict = flags.strict;
  return run(common, options, false);
}

}  // namespace isrgen
