#include "publish/site_sync.h"

#include <memory>
#include <system_error>

#include "data/env_expand.h"
#include "publish/deploy_state.h"
#include "publish/sync_target.h"
#include "util/clock.h"

namespace isrgen::publish {
namespace {

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

// A dry run sends no purge, so it needs none of the provider's credentials:
// a builder that is never called only says that one is configured.
Result<PurgeCallBuilder> purge_for(const PurgeConfig& config, bool dry_run) {
  if (!dry_run) return purge_builder(config, clock_from_environment());
  if (config.provider.empty()) return PurgeCallBuilder{};
  return PurgeCallBuilder([](const PurgeRequest&) { return std::vector<net::Request>{}; });
}

}  // namespace

Result<SyncReport> sync_site(const SitePaths& paths, const SiteSyncOptions& options) {
  data::EnvLookup environment = data::process_environment();
  auto config = options.config ? Result<DeployConfig>(*options.config) : load_deploy_config(paths.root, environment);
  if (!config.ok()) return config.error();
  HttpRunOptions http;
  http.parallel = options.parallel;
  http.retries = config.value().retries;
  http.retry_delay_ms = config.value().retry_delay_ms;
  // A folder given on the command line is relative to where the command runs;
  // one in content/site.toml to the site, wherever the command runs.
  bool from_config = options.target.empty();
  std::string target_url = from_config ? config.value().target : options.target;
  auto target = open_sync_target(target_url, environment, http, from_config ? paths.root : std::filesystem::path());
  if (!target.ok()) return target.error();
  auto purge = purge_for(config.value().purge, options.dry_run);
  if (!purge.ok()) return purge.error();  // the environment's fault (the settings were checked with the file)
  std::error_code ec;
  if (!std::filesystem::is_directory(paths.out, ec))
    return make_error(paths.out.string(), 0, "no output folder to sync (run isrgen build first)");
  auto state = DeployState::open(paths.state / "deploy.db");
  if (!state.ok()) return state.error();

  SyncJob job;
  job.client = target.value().client.get();
  job.state = state.value().get();
  job.target_id = target.value().id;
  job.out = paths.out;
  job.config = &config.value();
  job.options.dry_run = options.dry_run;
  job.options.verify_remote = options.verify_remote;
  job.options.max_deletes = options.max_deletes >= 0 ? options.max_deletes : config.value().max_deletes;
  job.purge = purge.value();
  job.http = http;
  SystemClock warm_clock;  // the budget is real time, even when ISRGEN_NOW fixes the build's clock
  job.warm_clock = &warm_clock;
  auto report = run_sync(job);
  if (report.ok()) return report;
  // Nothing was sent: a failed sync, not a usage error.
  SyncReport unplanned;
  unplanned.target = job.client->describe();
  unplanned.dry_run = options.dry_run;
  unplanned.purges = static_cast<bool>(job.purge);
  unplanned.failed.emplace_back("sync", report.error().to_string());
  return unplanned;
}

}  // namespace isrgen::publish
