// `isrgen serve`: the webhook-driven build service and ISR origin
// (src/serve/serve_app.h), run until SIGINT or SIGTERM.
#include <poll.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>

#include "cli/commands.h"
#include "cli/console.h"
#include "data/curl_fetcher.h"
#include "data/env_expand.h"
#include "engine/parallel.h"
#include "serve/serve_app.h"
#include "serve/serve_config.h"
#include "serve/webhook_secret.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/signal_stop.h"
#include "util/stop_signal.h"

namespace isrgen {
namespace {

// How long answers in progress may take once a stop is asked for; the
// running build is always let finish after that.
constexpr int kShutdownGraceMs = 10'000;

}  // namespace

int serve_command(const CommonFlags& common, const ServeFlags& flags) {
  Console console(common.quiet, false);
  SitePaths paths = make_site_paths(common.site, common.out);
  auto config = serve::load_serve_config(paths.root);
  if (!config) {
    console.error(config.error().to_string());
    return kExitUsage;
  }
  serve::ServeConfig settings = config.value();
  if (!flags.listen.empty()) settings.listen = flags.listen;
  if (flags.sync) settings.sync = true;
  auto secret = serve::webhook_secret(data::process_environment(), settings.secret_env);
  if (!secret) {
    console.error(secret.error().message);
    return kExitUsage;
  }
  auto stop = StopSignal::create();
  if (!stop) {
    console.error(stop.error().to_string());
    return kExitFailed;
  }
  SignalStop signals(stop.value());

  std::unique_ptr<Clock> clock = clock_from_environment();
  data::CurlFetcher fetcher;
  std::mutex log_mutex;
  serve::ServeSetup setup;
  setup.paths = paths;
  setup.config = settings;
  setup.webhook_secret = secret.value();
  setup.clock = clock.get();
  setup.fetcher = &fetcher;
  setup.build_jobs = common.jobs > 0 ? common.jobs : default_jobs();
  setup.sync_target = flags.target;
  setup.log = [&log_mutex, quiet = common.quiet](serve::LogLevel level, std::string_view line) {
    if (quiet && level == serve::LogLevel::kProgress) return;
    std::lock_guard lock(log_mutex);
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  };

  auto app = serve::ServeApp::start(std::move(setup));
  if (!app) {
    console.error(app.error().to_string());
    return kExitUsage;
  }
  // The address on stdout even with --quiet: with port 0 it is the only way
  // to learn which port the system picked.
  std::cout << "listening on http://" << settings.listen.substr(0, settings.listen.rfind(':')) << ":"
            << app.value()->port() << std::endl;

  pollfd wait_for_stop{stop.value().fd(), POLLIN, 0};
  while (::poll(&wait_for_stop, 1, -1) < 0 && errno == EINTR) {
  }
  console.note("stopping: finishing the running build");
  app.value()->shutdown(kShutdownGraceMs);
  return kExitOk;
}

}  // namespace isrgen
