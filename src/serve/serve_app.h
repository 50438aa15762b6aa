// `isrgen serve`: the long-running service a CMS calls when content changes,
// and the CDN's origin with ISR semantics. ServeApp wires the parts:
//
//   serve_routes.h      which part answers a request
//   job_endpoints.h     POST /revalidate -> a durable job; GET /jobs/<id>; GET /healthz
//   serve_metrics.h     GET /metrics
//   isr_origin.h        GET|HEAD /<path>: files of out/, first requests of deferred
//                       pages (fallback blocking), stale pages (stale-while-revalidate)
//   refresh_schedule.h  background refreshes of stale sources, on requests and on a timer
//   work_build.h        the build (and, with sync on, the sync) of a batch of jobs
//   site_view.h         the settings and source staleness the last build left
//   serve_log.h         the lines for people
//
// Every build runs on the job worker's one thread, one at a time: webhooks,
// first requests and background refreshes all become jobs, and jobs that wait
// share the next build (job_worker.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "data/env_expand.h"
#include "data/http_fetcher.h"
#include "serve/job_worker.h"
#include "serve/serve_config.h"
#include "serve/serve_log.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/error.h"

namespace isrgen::serve {

struct ServeSetup {
  SitePaths paths;
  ServeConfig config;  // [serve] with the command line's overrides; `sync` syncs each good build
  std::string webhook_secret;
  const Clock* clock = nullptr;             // required
  data::HttpFetcher* fetcher = nullptr;     // required when the site has remote sources
  data::EnvLookup env;                      // ${VAR} in source headers and [deploy]; empty: the process environment
  int build_jobs = 1;                       // render threads of each build
  std::string sync_target;                  // where config.sync syncs to; empty: [deploy] target
  LogSink log;                              // the lines for people (serve_log.h)
  // Called on the worker thread before each build, and once the end of its
  // jobs is recorded (GET /jobs/<id> shows it): a test holds a build while
  // requests arrive, and learns when one ended without polling.
  std::function<void(const MergedWork&)> before_build;
  std::function<void(const std::vector<Job>&, const WorkOutcome&)> after_build;
};

class ServeApp {
 public:
  // Reads content/site.toml once (routing, [serve.map] and the [deploy] rules
  // the origin's files get), opens the state index and the job store,
  // requeues jobs a crash interrupted, starts the HTTP server and the worker
  // (which runs queued jobs at once, after a start-up build) and the refresh timer.
  static Result<std::unique_ptr<ServeApp>> start(ServeSetup setup);
  ~ServeApp();  // shutdown(0)
  ServeApp(const ServeApp&) = delete;
  ServeApp& operator=(const ServeApp&) = delete;

  uint16_t port() const;

  // Stops accepting connections, lets answers in progress finish for up to
  // `grace_ms`, then lets the running build finish; queued jobs stay in the
  // store for the next start.
  void shutdown(int grace_ms);

  struct State;

 private:
  explicit ServeApp(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace isrgen::serve
