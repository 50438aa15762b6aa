#include "serve/serve_app.h"

#include <variant>

#include "publish/deploy_config.h"
#include "serve/http_server.h"
#include "serve/isr_origin.h"
#include "serve/job_committer.h"
#include "serve/job_endpoints.h"
#include "serve/job_store.h"
#include "serve/refresh_schedule.h"
#include "serve/serve_metrics.h"
#include "serve/serve_routes.h"
#include "serve/site_view.h"
#include "serve/work_build.h"
#include "site/site_config.h"

namespace isrgen::serve {

// The parts, each declared after those it uses, so it goes before them.
struct ServeApp::State {
  ServeSetup setup;
  ServeLog log;
  WorkBuildSetup build;
  std::unique_ptr<SiteViews> site;
  std::unique_ptr<JobStore> jobs;
  std::unique_ptr<ServeMetrics> metrics;
  std::unique_ptr<RefreshSchedule> refreshes;  // its timer queues jobs: stopped by shutdown()
  std::unique_ptr<IsrOrigin> origin;
  std::unique_ptr<JobEndpoints> endpoints;
  std::unique_ptr<JobWorker> worker;
  std::unique_ptr<JobCommitter> committer;  // webhooks' jobs, in group commits, answered through the endpoints
  std::unique_ptr<HttpServer> server;

  explicit State(ServeSetup s) : setup(std::move(s)), log(setup.log) {
    build.paths = setup.paths;
    build.clock = setup.clock;
    build.fetcher = setup.fetcher;
    build.env = setup.env;
    build.jobs = setup.build_jobs;
    build.sync = setup.config.sync;
    build.sync_target = setup.sync_target;
  }

  const Clock& clock() const { return *setup.clock; }

  bool queue(JobRequest request) {
    auto accepted = jobs->accept(request, setup.config.max_queued);
    if (!accepted || !std::holds_alternative<Acceptance>(accepted.value())) return false;
    worker->notify();
    return true;
  }

  // On the worker thread. Whatever happens in the build, requests waiting for
  // it are answered and the refreshes it ran are settled.
  WorkOutcome run(const MergedWork& work) {
    if (setup.before_build) setup.before_build(work);
    WorkBuild built = run_work_build(work, build);
    const BuildReport* report = built.rebuilt ? &built.rebuilt->build : nullptr;
    metrics->count_build(built.outcome, report);
    if (built.rebuilt) {
      Status updated = site->update(std::move(built.rebuilt->config));
      if (!updated) log.problem("serve: " + updated.error().to_string());
    }
    refreshes->settle(work, report);
    origin->after_build(work, report);
    log.build(work, report, built.outcome);
    return built.outcome;
  }

  Status open_parts() {
    // One read for the view's settings and the origin's [deploy] rules.
    auto text = read_site_settings(setup.paths);
    if (!text) return text.error();
    auto config = parse_site_config(text.value(), "content/site.toml");
    if (!config) return config.error();
    auto deploy = publish::parse_deploy_config(text.value(), "content/site.toml",
                                               setup.env ? setup.env : data::process_environment());
    if (!deploy) return deploy.error();
    auto views = SiteViews::open(setup.paths, std::move(config).value());
    if (!views) return views.error();
    site = std::move(views).value();
    auto store = JobStore::open(jobs_db_path(setup.paths), clock());
    if (!store) return store.error();
    jobs = std::move(store).value();
    committer = std::make_unique<JobCommitter>(*jobs, setup.config.max_queued);
    metrics = std::make_unique<ServeMetrics>([this] {
      auto queued = jobs->queued_count();
      return queued ? static_cast<double>(queued.value()) : -1.0;
    });
    refreshes = std::make_unique<RefreshSchedule>(clock(), [this](JobRequest request) { return queue(request); });
    origin = std::make_unique<IsrOrigin>(
        setup.paths.out, std::move(deploy).value(),
        IsrOriginParts{site.get(), refreshes.get(), metrics.get(), setup.clock,
                       [this](JobRequest request) { return queue(request); }});
    JobEndpointParts parts;
    parts.config = &setup.config;
    parts.webhook_secret = setup.webhook_secret;
    parts.jobs = jobs.get();
    parts.accept = [this](JobRequest job, std::function<void(const Result<AcceptOutcome>&)> stored) {
      committer->submit(std::move(job), std::move(stored));
    };
    parts.site = site.get();
    parts.metrics = metrics.get();
    parts.log = &log;
    parts.clock = setup.clock;
    WorkerObservers observers;
    observers.batch_finished = [this](const std::vector<Job>& finished, JobStatus status, const WorkOutcome& outcome) {
      metrics->observe_finished(finished, clock().now_unix_ms());
      log.jobs(finished, status);
      if (setup.after_build) setup.after_build(finished, outcome);
    };
    observers.store_failed = [this](const Error& error) { log.problem("serve: job store: " + error.to_string()); };
    worker = std::make_unique<JobWorker>(
        *jobs, [this](const MergedWork& work) { return run(work); }, clock(), std::move(observers));
    parts.worker = worker.get();
    endpoints = std::make_unique<JobEndpoints>(std::move(parts));
    return Status::Ok();
  }

  Status listen() {
    ServerLimits limits;
    limits.max_connections = setup.config.max_connections;
    limits.read_timeout_ms = static_cast<int>(setup.config.read_timeout_ms);
    limits.idle_timeout_ms = static_cast<int>(setup.config.idle_timeout_ms);
    limits.threads = setup.config.threads;
    ServeRoutes routes;
    routes.webhook = [this](HttpRequest&& request, Responder respond) {
      endpoints->answer_webhook(std::move(request), std::move(respond));
    };
    routes.health = [this](Responder respond) { endpoints->answer_health(std::move(respond)); };
    routes.metrics = [this](Responder respond) {
      respond(HttpResponse::text(200, metrics->render(), MetricsRegistry::kContentType));
    };
    routes.job = [this](HttpRequest&& request, Responder respond) {
      endpoints->answer_job(request, std::move(respond));
    };
    routes.origin = [this](HttpRequest&& request, Responder respond) {
      origin->answer(std::move(request), std::move(respond));
    };
    routes.webhook_answered = [this](int status) { metrics->count_webhook_answer(status); };
    auto started = HttpServer::start(
        setup.config.listen, limits,
        [routes = std::move(routes)](HttpRequest&& request, Responder respond) {
          route_request(routes, std::move(request), std::move(respond));
        },
        [this](std::string_view path, int status) {
          if (path == "/revalidate") metrics->count_webhook_answer(status);
        });
    if (!started) return started.error();
    server = std::move(started).value();
    return Status::Ok();
  }
};

ServeApp::ServeApp(std::shared_ptr<State> state) : state_(std::move(state)) {}

ServeApp::~ServeApp() { shutdown(0); }

Result<std::unique_ptr<ServeApp>> ServeApp::start(ServeSetup setup) {
  auto state = std::make_shared<State>(std::move(setup));
  State& s = *state;
  if (Status opened = s.open_parts(); !opened) return opened.error();
  // Listening comes first, so a port that cannot be bound leaves nothing
  // behind; a webhook that arrives before the worker starts waits in the queue.
  if (Status listening = s.listen(); !listening) return listening.error();
  // The start-up build catches up with what changed while no server ran.
  auto startup = s.jobs->accept(JobRequest{}, s.setup.config.max_queued);
  Status started = startup ? s.worker->start() : Status(startup.error());
  if (!started) {
    s.server->shutdown(0);
    return started.error();
  }
  s.refreshes->start_timer([&s] { return s.site->current()->staleness.stale_sources(s.clock().now_unix_ms()); });
  return std::unique_ptr<ServeApp>(new ServeApp(std::move(state)));
}

uint16_t ServeApp::port() const { return state_->server->port(); }

void ServeApp::shutdown(int grace_ms) {
  if (!state_ || !state_->server) return;
  state_->server->shutdown(grace_ms);
  // Webhooks still in a batch are committed (their answers go nowhere now),
  // so the worker's last round sees them.
  state_->committer.reset();
  state_->refreshes->stop_timer();
  state_->worker->stop();
  state_->server.reset();
}

}  // namespace isrgen::serve
