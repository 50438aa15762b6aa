// `isrgen serve`: the long-running service a CMS calls when content changes,
// and the CDN's origin with ISR semantics. One object owns the pieces and the
// routes between them:
//
//   POST /revalidate    signed webhook -> a durable job (revalidate_endpoint.h)
//   GET  /jobs/<id>     a job's status and, once finished, its build report
//   GET  /healthz       200 while the job store works, else 503
//   GET  /metrics       Prometheus text (metrics.h)
//   GET|HEAD /<path>    files of out/ (origin_files.h), tenant by Host or first segment:
//                       a page not rendered yet (prerender = "high") is rendered on its
//                       first request and kept (fallback blocking); a page whose remote
//                       sources are past `revalidate` is served stale while one
//                       background build refreshes them (stale-while-revalidate).
//
// A timer also refreshes every source some page shows once it is past
// `revalidate`, so a site published to a bucket (--sync), which no request
// reaches, is regenerated too.
//
// Every build runs on the job worker's one thread, one at a time: webhooks,
// first requests and background refreshes all become jobs, and jobs that wait
// share the next build (job_worker.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "data/env_expand.h"
#include "data/http_fetcher.h"
#include "serve/job_worker.h"
#include "serve/serve_config.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/error.h"

namespace isrgen::serve {

enum class LogLevel { kProgress, kProblem };

struct ServeSetup {
  SitePaths paths;
  ServeConfig config;  // [serve] with the command line's overrides
  std::string webhook_secret;
  const Clock* clock = nullptr;             // required
  data::HttpFetcher* fetcher = nullptr;     // required when the site has remote sources
  data::EnvLookup env;                      // ${VAR} in source headers; empty: the process environment
  int build_jobs = 1;                       // render threads of each build
  // Runs after each good build when set (`--sync`): the sync's JSON report,
  // or an error that fails the jobs of the build.
  std::function<Result<nlohmann::json>()> sync;
  // Lines for people, called from server and worker threads: progress (one
  // per build and per finished batch of jobs) and problems (failed pages,
  // builds, syncs and batches, refused webhooks, a failing job store), so
  // --quiet can keep the problems alone.
  std::function<void(LogLevel, std::string_view)> log;
  // Called on the worker thread before each build, and once the end of its
  // jobs is recorded (GET /jobs/<id> shows it): a test holds a build while
  // requests arrive, and learns when one ended without polling.
  std::function<void(const MergedWork&)> before_build;
  std::function<void(const std::vector<Job>&, const WorkOutcome&)> after_build;
};

class ServeApp {
 public:
  // Opens the job store, requeues jobs a crash interrupted, starts the worker
  // (which runs queued jobs at once) and the HTTP server.
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
