#include "publish/rebuild.h"

#include <string>
#include <utility>

#include "data/env_expand.h"
#include "publish/deploy_config.h"

namespace isrgen::publish {

bool build_is_good(const BuildReport& report) { return report.exit_code() == 0; }

Result<RebuildOutcome> rebuild(const SitePaths& paths, const RebuildRequest& request, const Clock& clock) {
  auto text = read_site_settings(paths);
  if (!text.ok()) return text.error();
  auto config = parse_site_config(text.value(), "content/site.toml");
  if (!config.ok()) return config.error();
  // Parsed before the build, from the same text, but reported after it: a
  // broken [deploy] fails the sync, not the build it would have followed.
  std::optional<Result<DeployConfig>> deploy;
  if (request.sync) {
    const data::EnvLookup environment = request.build.env ? request.build.env : data::process_environment();
    deploy.emplace(parse_deploy_config(text.value(), "content/site.toml", environment));
  }

  BuildOptions options = request.build;
  options.config = &config.value();
  auto report = run_build(paths, options, clock);
  if (!report.ok()) return report.error();
  RebuildOutcome outcome{std::move(config).value(), std::move(report).value(), std::nullopt};
  if (!deploy || !build_is_good(outcome.build) || (request.skip_sync && request.skip_sync())) return outcome;
  if (!deploy->ok()) {
    outcome.sync.emplace(deploy->error());
    return outcome;
  }
  SiteSyncOptions sync = request.sync_options;
  sync.config = &deploy->value();
  outcome.sync.emplace(sync_site(paths, sync));
  return outcome;
}

}  // namespace isrgen::publish
