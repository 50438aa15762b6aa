// `isrgen dev`: the local preview. Builds, watches (cli/watch_builds.h, the
// loop of `isrgen watch`) and serves the output to the author's browser with
// live reload (src/serve/dev_server.h), until SIGINT or SIGTERM.
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/console.h"
#include "cli/watch_builds.h"
#include "data/env_expand.h"
#include "publish/deploy_config.h"
#include "serve/dev_build_event.h"
#include "serve/dev_hosts.h"
#include "serve/dev_listen.h"
#include "serve/dev_server.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/signal_stop.h"

namespace isrgen {
namespace {

// How long answers in progress may take once a stop is asked for.
constexpr int kShutdownGraceMs = 2'000;

// The settings the preview starts with: tenants to route to, and the
// Content-Type rules of [deploy]. A [deploy] table that cannot be read (a
// purge secret only CI has) leaves the files their types by extension.
Result<serve::DevServerSetup> preview_setup(const SitePaths& paths, const std::string& listen, Console& console) {
  auto text = read_site_settings(paths);
  if (!text) return text.error();
  auto config = parse_site_config(text.value(), "content/site.toml");
  if (!config) return config.error();
  serve::DevServerSetup setup;
  setup.paths = paths;
  setup.listen = listen;
  setup.config = std::move(config).value();
  auto deploy = publish::parse_deploy_config(text.value(), "content/site.toml", data::process_environment());
  if (deploy) setup.deploy = std::move(deploy).value();
  else console.warning(deploy.error().to_string() + "; the preview gives files their types by extension");
  return setup;
}

// The URLs to open, on stdout even with --quiet: the index, then each tenant.
void print_urls(const SiteConfig& config, uint16_t port) {
  std::string host = "localhost:" + std::to_string(port);
  std::cout << "preview on http://" << host << "/" << std::endl;
  for (const auto& [id, tenant] : config.tenants)
    std::cout << "  " << id << ": " << serve::tenant_origin(id, host) << "/" << std::endl;
}

}  // namespace

int dev_command(const CommonFlags& common, const DevFlags& flags) {
  Console console(common.quiet, false);
  SitePaths paths = make_site_paths(common.site, common.out);
  auto listen = serve::dev_listen_address(flags.listen);
  if (!listen) {
    console.error(listen.error().to_string());
    return kExitUsage;
  }
  auto setup = preview_setup(paths, listen.value().address, console);
  if (!setup) {
    console.error(setup.error().to_string());
    return kExitUsage;
  }
  SiteConfig first_config = setup.value().config;
  auto watcher = open_watcher(paths, flags.poll, console);
  if (!watcher) {
    console.error(watcher.error().to_string());
    return kExitUsage;
  }
  SignalStop signals(watcher.value()->stop_signal());
  auto server = serve::DevServer::start(std::move(setup).value());
  if (!server) {
    console.error(server.error().to_string());
    return kExitUsage;
  }
  if (!listen.value().loopback)
    console.warning("listening on " + listen.value().address +
                    ": other machines that reach it see the preview, which asks no secret");

  serve::DevServer& preview = *server.value();
  BuildObserver after_build = [&](const watch::BuildTrigger& trigger,
                                  const Result<publish::RebuildOutcome>& outcome) {
    if (outcome.ok()) {
      serve::DevChanges changes{trigger.changes.paths, trigger.changes.rescan_all};
      preview.after_build(serve::describe_build(outcome.value().build, outcome.value().config, changes),
                          outcome.value().config);
    } else {
      preview.after_build(serve::describe_failed_run(outcome.error().to_string()), std::nullopt);
    }
    if (trigger.initial) print_urls(outcome.ok() ? outcome.value().config : first_config, preview.port());
  };
  WatchFlags watching;
  watching.poll = flags.poll;
  SystemClock loop_clock;  // never ISRGEN_NOW: the quiet window must pass
  int status = run_watch(common, watching, *watcher.value(), loop_clock, *clock_from_environment(), after_build);
  preview.shutdown(kShutdownGraceMs);
  return status;
}

}  // namespace isrgen
