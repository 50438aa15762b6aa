// `isrgen sync`: pushes what changed in the output folder to a bucket or a
// folder, then purges the CDN (src/publish/).
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/console.h"
#include "data/env_expand.h"
#include "publish/deploy_state.h"
#include "publish/sync_run.h"
#include "publish/sync_target.h"
#include "site/site_paths.h"
#include "util/clock.h"

namespace isrgen {
namespace {

using namespace publish;

// The purge provider's request builder, or an empty function when none is configured.
// `clock` dates the webhook's signature.
Result<PurgeCallBuilder> purge_builder(const PurgeConfig& config, std::shared_ptr<const Clock> clock) {
  if (config.provider.empty()) return PurgeCallBuilder{};
  if (config.provider == "webhook")
    return PurgeCallBuilder([config, clock](const PurgeRequest& request) {
      return webhook_purge_calls(config, request, *clock);
    });
  if (config.provider == "fastly")
    return PurgeCallBuilder([config](const PurgeRequest& request) { return fastly_purge_calls(config, request); });
  if (config.provider == "cloudflare")
    return PurgeCallBuilder([config](const PurgeRequest& request) { return cloudflare_purge_calls(config, request); });
  auto aws = s3_settings_from_environment(data::process_environment());
  if (!aws.ok()) return make_error("", 0, "purge provider 'cloudfront' needs AWS credentials: " + aws.error().message);
  // Unique per sync, so the system's time even when ISRGEN_NOW fixes the clock.
  std::string reference = "isrgen-" + std::to_string(SystemClock().now_unix_ms());
  return PurgeCallBuilder([config, aws = aws.value(), reference](const PurgeRequest& request) {
    return cloudfront_purge_calls(config, request, aws, reference);
  });
}

// A dry run prints its whole plan; a real sync only its summary (the
// objects are in the --json report), so a first sync of a large site does
// not flood a CI log.
void print_plan_lines(Console& console, const SyncReport& report, bool purges) {
  if (report.dry_run) {
    for (const auto& upload : report.uploaded) console.note("would upload " + upload.key + " (" + upload.reason + ")");
    for (const auto& key : report.deleted) console.note("would delete " + key);
  }
  std::string purge = std::to_string(report.purge.paths.size()) + " paths and " +
                      std::to_string(report.purge.tags.size()) + " tags";
  if (report.dry_run && purges && !report.purge.empty()) console.note("would purge " + purge);
  if (report.purged) console.note("purged " + purge);
}

}  // namespace

int sync_command(const CommonFlags& common, const SyncFlags& flags) {
  Console console(common.quiet, common.json);
  SitePaths paths = make_site_paths(common.site, common.out);
  data::EnvLookup environment = data::process_environment();
  auto config = load_deploy_config(paths.root, environment);
  if (!config.ok()) {
    console.error(config.error().to_string());
    return kExitUsage;
  }
  HttpRunOptions http;
  http.parallel = common.jobs > 0 ? common.jobs : 16;
  http.retries = config.value().retries;
  http.retry_delay_ms = config.value().retry_delay_ms;
  // A folder given on the command line is relative to where the command runs;
  // one in content/site.toml to the site, wherever the command runs.
  bool from_config = flags.target.empty();
  std::string target_url = from_config ? config.value().target : flags.target;
  auto target = open_sync_target(target_url, environment, http, from_config ? paths.root : std::filesystem::path());
  if (!target.ok()) {
    console.error(target.error().to_string());
    return kExitUsage;
  }
  // A dry run sends no purge, so it needs none of the provider's credentials:
  // a builder that is never called only says that one is configured.
  const PurgeConfig& purge_config = config.value().purge;
  auto purge = flags.dry_run ? Result<PurgeCallBuilder>(PurgeCallBuilder{})
                             : purge_builder(purge_config, clock_from_environment());
  if (!purge.ok()) {  // the environment's fault (the settings were checked with the file)
    console.error(purge.error().message);
    return kExitUsage;
  }
  if (flags.dry_run && !purge_config.provider.empty())
    purge = PurgeCallBuilder([](const PurgeRequest&) { return std::vector<HttpCall>{}; });
  std::error_code ec;
  if (!std::filesystem::is_directory(paths.out, ec)) {
    console.error(paths.out.string() + ": no output folder to sync (run isrgen build first)");
    return kExitUsage;
  }
  auto state = DeployState::open(paths.state / "deploy.db");
  if (!state.ok()) {
    console.error(state.error().to_string());
    return kExitUsage;
  }

  SyncJob job;
  job.client = target.value().client.get();
  job.state = state.value().get();
  job.target_id = target.value().id;
  job.out = paths.out;
  job.config = &config.value();
  job.options.dry_run = flags.dry_run;
  job.options.verify_remote = flags.verify_remote;
  job.options.max_deletes = flags.max_deletes >= 0 ? flags.max_deletes : config.value().max_deletes;
  job.purge = purge.value();
  job.http = http;
  auto report = run_sync(job);
  if (!report.ok()) {
    console.error(report.error().to_string());
    return kExitFailed;
  }
  const SyncReport& result = report.value();
  print_plan_lines(console, result, static_cast<bool>(job.purge));
  for (const auto& [key, error] : result.failed) console.error(key + ": " + error);
  if (result.pages_held_back > 0) console.error("sync: " + result.pages_held_back_reason());
  if (result.deletes_held_back > 0) console.error("sync: " + result.held_back_reason);
  console.note(std::string(result.dry_run ? "sync (dry run): " : "sync: ") + std::to_string(result.uploaded.size()) +
               " uploaded, " + std::to_string(result.deleted.size()) + " deleted, " +
               std::to_string(result.unchanged) + " unchanged, " + std::to_string(result.failed.size()) + " failed, " +
               std::to_string(result.bytes) + " bytes in " + std::to_string(result.duration_ms) + " ms to " +
               result.target);
  if (common.json) std::cout << result.to_json().dump(2) << std::endl;
  return result.exit_code();
}

}  // namespace isrgen
