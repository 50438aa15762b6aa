#include "serve/serve_app.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "engine/builder.h"
#include "engine/page_lookup.h"
#include "engine/page_staleness.h"
#include "data/env_expand.h"
#include "publish/deploy_config.h"
#include "serve/http_server.h"
#include "serve/job_committer.h"
#include "serve/job_store.h"
#include "serve/job_worker.h"
#include "serve/metrics.h"
#include "serve/origin_files.h"
#include "serve/revalidate_endpoint.h"
#include "serve/tenant_resolution.h"
#include "serve/work_build.h"
#include "site/dependency_tag.h"
#include "site/site_config.h"
#include "state/dep_index.h"

namespace isrgen::serve {
namespace {

// A source whose background refresh failed is tried again after this long at
// the earliest, however often its stale pages are asked for: the origin keeps
// serving the stale pages meanwhile and does not hammer a failing API.
constexpr int64_t kRefreshRetryMs = 30'000;
// A refresh queued or running; no second one is queued for the source.
constexpr int64_t kRefreshPending = INT64_MAX;
// How often the refresh timer looks for sources past `revalidate`. It reads
// the clock each time rather than sleeping until the next stale time, so a
// wall clock that steps (or a test's manual clock) is followed within this.
constexpr auto kRefreshTick = std::chrono::seconds(1);
// Builds run below the niceness of the threads that answer requests: on a
// machine with few cores, a build that keeps every core busy must not hold up
// the answers to webhooks and page requests.
constexpr int kBuildNiceness = 10;

// Lowers the calling thread (the job worker's) once; the render threads a
// build starts inherit it. Where that is not allowed, builds just compete.
void lower_build_priority() {
  static thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kBuildNiceness);
}

// Why the jobs of a build with failing pages fail: how many, and the first.
std::string failure_of(const BuildReport& report) {
  if (report.failed.empty()) return "";
  std::string error = std::to_string(report.failed.size()) + " of the site's pages failed to render: ";
  error += report.failed.front().error;
  return error;
}

nlohmann::json job_json(const Job& job) {
  auto time = [](int64_t ms) -> nlohmann::json { return ms ? nlohmann::json(format_iso8601_utc(ms)) : nullptr; };
  nlohmann::json document = {{"job", job.id},
                             {"status", job_status_name(job.status)},
                             {"tags", job.request.tags},
                             {"paths", job.request.paths},
                             {"accepted_at", time(job.accepted_ms)},
                             {"started_at", time(job.started_ms)},
                             {"finished_at", time(job.finished_ms)},
                             {"report", job.report}};
  if (!job.error.empty()) document["error"] = job.error;
  return document;
}

// Job ids are 32 hex digits (job_store.h). Only such a path is a job's:
// /jobs/... of a tenant served by Host (a "jobs" page) stays the origin's.
bool is_job_path(std::string_view path) {
  constexpr std::string_view kPrefix = "/jobs/";
  if (!path.starts_with(kPrefix) || path.size() != kPrefix.size() + 32) return false;
  for (char c : path.substr(kPrefix.size()))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

HttpResponse method_not_allowed(const char* allow) {
  HttpResponse response = HttpResponse::json(405, {{"error", std::string("method not allowed; use ") + allow}});
  response.headers.emplace_back("Allow", allow);
  return response;
}

HttpResponse not_found() { return HttpResponse::text(404, "not found\n"); }

}  // namespace

// The site as the last build left it: its settings, and which pages depend on
// which remote sources. Replaced whole after each build, read without a lock
// held for longer than a shared_ptr copy.
struct SiteView {
  SiteConfig config;
  StalenessIndex staleness;
};

// A first request of a page that has not been rendered, waiting for its build.
struct WaitingRequest {
  HttpRequest request;  // the method and headers matter (HEAD, If-None-Match)
  Responder respond;
};

struct ServeApp::State {
  ServeSetup setup;
  std::unique_ptr<JobStore> jobs;
  std::unique_ptr<JobCommitter> committer;  // webhooks' jobs, in group commits; goes before the store
  std::unique_ptr<JobWorker> worker;
  std::unique_ptr<HttpServer> server;
  std::unique_ptr<OriginFiles> origin;
  std::unique_ptr<DepIndex> index;  // page availability for first requests
  std::mutex index_mutex;

  std::mutex view_mutex;
  std::shared_ptr<const SiteView> view;

  std::mutex isr_mutex;
  std::map<std::string, std::vector<WaitingRequest>> waiting;  // by the URL its job renders, "/acme/summer/"
  std::map<std::string, int64_t> refreshing;                   // source -> kRefreshPending or retry-not-before

  // The refresh timer: pages published to a bucket are regenerated when their
  // sources go stale, whether or not a request reaches the origin.
  std::thread refresh_timer;
  std::mutex timer_mutex;
  std::condition_variable timer_wake;
  bool timer_stopping = false;

  MetricsRegistry metrics;
  Counter* builds = nullptr;
  Counter* build_failures = nullptr;
  Counter* pages_rendered = nullptr;
  Counter* fetch_failures = nullptr;
  Counter* cache_hit = nullptr;
  Counter* cache_stale = nullptr;
  Counter* cache_miss = nullptr;
  Histogram* job_latency = nullptr;

  explicit State(ServeSetup s) : setup(std::move(s)) {}

  const Clock& clock() const { return *setup.clock; }
  void log(std::string_view line) const {
    if (setup.log) setup.log(LogLevel::kProgress, line);
  }
  void log_problem(std::string_view line) const {
    if (setup.log) setup.log(LogLevel::kProblem, line);
  }

  std::shared_ptr<const SiteView> current_view() {
    std::lock_guard lock(view_mutex);
    return view;
  }

  // After a build: site.toml may have changed, and pages' sources and
  // sources' fetch times have. A view that cannot be loaded keeps the last.
  void reload_view() {
    auto config = load_site_config(setup.paths);
    if (!config) return log_problem("serve: keeping the previous settings: " + config.error().to_string());
    auto staleness = [&] {
      std::lock_guard lock(index_mutex);
      return StalenessIndex::load(*index, config.value());
    }();
    if (!staleness) return log_problem("serve: " + staleness.error().to_string());
    auto fresh = std::make_shared<SiteView>(SiteView{std::move(config.value()), std::move(staleness.value())});
    std::lock_guard lock(view_mutex);
    view = std::move(fresh);
  }

  void register_metrics() {
    builds = &metrics.counter("isrgen_builds_total", "Builds run by the job worker.");
    build_failures = &metrics.counter("isrgen_build_failures_total",
                                      "Builds that could not run, had failing pages or failed to sync.");
    pages_rendered = &metrics.counter("isrgen_pages_rendered_total", "Page variants rendered by builds.");
    fetch_failures = &metrics.counter("isrgen_source_fetch_failures_total", "Remote source fetches that failed.");
    metrics.gauge_callback("isrgen_jobs_queued", "Jobs waiting for the next build.", [this] {
      auto queued = jobs->queued_count();
      return queued ? static_cast<double>(queued.value()) : -1.0;
    });
    job_latency = &metrics.histogram("isrgen_job_latency_seconds", "Time from a job's acceptance to its end.",
                                     kLatencyBucketsSeconds);
    const std::string origin_help = "Origin requests by cache outcome: hit, stale (served while refreshed), miss (rendered on first request).";
    cache_hit = &metrics.counter("isrgen_origin_requests_total", origin_help, {{"cache", "hit"}});
    cache_stale = &metrics.counter("isrgen_origin_requests_total", origin_help, {{"cache", "stale"}});
    cache_miss = &metrics.counter("isrgen_origin_requests_total", origin_help, {{"cache", "miss"}});
    metrics.gauge_callback("isrgen_origin_cache_hit_ratio",
                           "Share of origin page and file requests served without waiting for a build, since start.",
                           [this] {
                             double hits = static_cast<double>(cache_hit->value() + cache_stale->value());
                             double all = hits + static_cast<double>(cache_miss->value());
                             return all > 0 ? hits / all : 0.0;
                           });
    for (int status : {202, 400, 401, 405, 413, 429, 500}) count_webhook_answer(status, 0);
  }

  // Every answer to /revalidate, whoever gave it: the webhook endpoint, the
  // routing (405) or the HTTP server before the app saw the request (413).
  // A status not registered at start gets its series on first use.
  void count_webhook_answer(int status, uint64_t amount = 1) {
    metrics
        .counter("isrgen_webhook_requests_total", "Answers to /revalidate by status.",
                 {{"code", std::to_string(status)}})
        .increment(amount);
  }

  // --- the build worker -------------------------------------------------

  // Whatever happens in the build, requests waiting for it are answered and
  // the refreshes it ran are settled: an exception fails the jobs (the worker
  // records it) but must not leave a client hanging.
  WorkOutcome run(const MergedWork& work) {
    lower_build_priority();
    if (setup.before_build) setup.before_build(work);
    std::optional<Result<BuildReport>> report;
    WorkOutcome outcome;
    try {
      report.emplace(build(work));
      outcome = judge(report.value());
    } catch (const std::exception& error) {
      outcome.error = std::string("the build stopped: ") + error.what();
      outcome.report = {{"error", outcome.error}};
    }
    outcome.ok = outcome.error.empty();
    builds->increment();
    if (!outcome.ok) build_failures->increment();
    reload_view();
    const BuildReport* built = report && report->ok() ? &report->value() : nullptr;
    settle_refreshes(work, built);
    answer_waiting(work);
    log_build(work, built, outcome);
    return outcome;
  }

  Result<BuildReport> build(const MergedWork& work) {
    BuildOptions options = build_options_for(work);
    options.jobs = setup.build_jobs;
    options.fetcher = setup.fetcher;
    options.env = setup.env;
    return run_build(setup.paths, options, clock());
  }

  // The jobs' outcome: a build that could not run, a page that failed or a
  // sync that failed fails them all (the report says which pages and why).
  WorkOutcome judge(const Result<BuildReport>& report) {
    WorkOutcome outcome;
    if (!report) {
      outcome.error = report.error().to_string();
      outcome.report = {{"error", outcome.error}};
      return outcome;
    }
    outcome.report = {{"build", report.value().to_json()}};
    outcome.error = failure_of(report.value());
    pages_rendered->increment(report.value().rendered.size());
    for (const FetchEntry& fetch : report.value().fetched)
      if (fetch.outcome == data::FetchResult::kFailed) fetch_failures->increment();
    for (const RenderedEntry& page : report.value().rendered) origin->forget(page.output);
    for (const std::string& output : report.value().deleted) origin->forget(output);
    if (outcome.error.empty() && setup.sync) {
      auto synced = setup.sync();
      if (synced) outcome.report["sync"] = synced.value();
      else outcome.error = "sync: " + synced.error().to_string();
    }
    return outcome;
  }

  // "3 jobs done: <id>, <id>, <id>", so an operator (or a test) can follow a
  // job from its 202 to its end; a burst is cut short after a few ids.
  void log_jobs(const std::vector<Job>& finished, JobStatus status) const {
    constexpr size_t kIdsShown = 10;
    std::string line = std::to_string(finished.size()) + (finished.size() == 1 ? " job " : " jobs ") +
                       std::string(job_status_name(status)) + ":";
    for (size_t i = 0; i < finished.size() && i < kIdsShown; ++i) line += (i ? ", " : " ") + finished[i].id;
    if (finished.size() > kIdsShown) line += " and " + std::to_string(finished.size() - kIdsShown) + " more";
    status == JobStatus::kFailed ? log_problem(line) : log(line);
  }

  void log_build(const MergedWork& work, const BuildReport* report, const WorkOutcome& outcome) const {
    if (!report) return log_problem("build failed: " + outcome.error);
    std::string line = "built: " + std::to_string(report->rendered.size()) + " rendered, " +
                       std::to_string(report->failed.size()) + " failed in " + std::to_string(report->duration_ms) +
                       " ms";
    if (!work.tags.empty()) line += " (" + std::to_string(work.tags.size()) + " tags";
    if (!work.paths.empty())
      line += std::string(work.tags.empty() ? " (" : ", ") + std::to_string(work.paths.size()) + " paths";
    if (!work.tags.empty() || !work.paths.empty()) line += ")";
    log(line);
    for (const FailedEntry& failed : report->failed) log_problem(failed.error);
    for (const WarningEntry& entry : report->warnings) log_problem("warning: " + entry.warning);
    if (!outcome.ok && report->failed.empty()) log_problem(outcome.error);
  }

  // --- POST /revalidate, GET /jobs/<id> ----------------------------------

  void answer_webhook(HttpRequest&& request, Responder respond) {
    auto view_now = current_view();
    WebhookSettings settings{setup.webhook_secret, setup.config.signature_tolerance_s, setup.config.max_queued,
                             setup.config.map};
    auto accept = [this](JobRequest job, std::function<void(const Result<AcceptOutcome>&)> stored) {
      committer->submit(std::move(job), std::move(stored));
    };
    // The answer comes from the committer's thread once the job is on disk.
    handle_revalidate(request, settings, view_now->config, clock(), accept,
                      [this, remote = request.remote_address, respond = std::move(respond)](WebhookOutcome outcome) {
                        if (outcome.queued) worker->notify();
                        int status = outcome.response.status;
                        count_webhook_answer(status);
                        if (status != 202) log_problem("POST /revalidate from " + remote + ": " + std::to_string(status));
                        respond(std::move(outcome.response));
                      });
  }

  void answer_job(const HttpRequest& request, Responder respond) {
    auto job = jobs->find(request.path.substr(std::string_view("/jobs/").size()));
    if (!job) return respond(HttpResponse::json(500, {{"error", "the job store cannot be read; retry later"}}));
    if (!job.value()) return respond(HttpResponse::json(404, {{"error", "no such job (jobs are kept for a day)"}}));
    respond(HttpResponse::json(200, job_json(*job.value())));
  }

  void answer_health(Responder respond) {
    WorkerMetrics worker_now = worker->metrics();
    auto queued = jobs->queued_count();
    bool healthy = queued.ok() && !worker_now.store_failing;
    nlohmann::json body = {{"status", healthy ? "ok" : "failing"},
                           {"queued", queued.ok() ? nlohmann::json(queued.value()) : nullptr},
                           {"running", worker_now.jobs_running},
                           {"builds", worker_now.builds},
                           {"jobs_done", worker_now.jobs_done},
                           {"jobs_failed", worker_now.jobs_failed}};
    respond(HttpResponse::json(healthy ? 200 : 503, body));
  }

  // --- the ISR origin -----------------------------------------------------

  // Queues one background refresh for those of `sources` that have none
  // queued or running, and did not fail just now.
  void schedule_refresh(const std::vector<std::string>& sources) {
    std::vector<std::string> due;
    {
      std::lock_guard lock(isr_mutex);
      int64_t now = clock().now_unix_ms();
      for (const std::string& source : sources) {
        int64_t& not_before = refreshing[source];
        if (not_before > now) continue;
        not_before = kRefreshPending;
        due.push_back(source);
      }
    }
    if (due.empty()) return;
    auto accepted = jobs->accept(JobRequest{revalidation_tags(due), {}, std::nullopt}, setup.config.max_queued);
    if (accepted && std::holds_alternative<Acceptance>(accepted.value())) return worker->notify();
    std::lock_guard lock(isr_mutex);  // not queued: the next stale request tries again
    for (const std::string& source : due) refreshing.erase(source);
  }

  void run_refresh_timer() {
    std::unique_lock lock(timer_mutex);
    while (!timer_wake.wait_for(lock, kRefreshTick, [this] { return timer_stopping; })) {
      lock.unlock();
      schedule_refresh(current_view()->staleness.stale_sources(clock().now_unix_ms()));
      lock.lock();
    }
  }

  void stop_refresh_timer() {
    {
      std::lock_guard lock(timer_mutex);
      timer_stopping = true;
    }
    timer_wake.notify_all();
    if (refresh_timer.joinable()) refresh_timer.join();
  }

  // After a build: refreshed sources may be refreshed again once stale; ones
  // whose refetch failed wait kRefreshRetryMs.
  void settle_refreshes(const MergedWork& work, const BuildReport* report) {
    std::set<std::string> failed;
    if (report)
      for (const FetchEntry& fetch : report->fetched)
        if (fetch.outcome == data::FetchResult::kFailed) failed.insert(fetch.source);
    std::lock_guard lock(isr_mutex);
    int64_t now = clock().now_unix_ms();
    for (const std::string& tag : work.tags) {
      const auto parsed = DependencyTag::parse(tag);
      if (!parsed || parsed->kind != TagKind::kSource) continue;
      auto entry = refreshing.find(parsed->name);
      if (entry == refreshing.end()) continue;
      if (!report || failed.contains(entry->first)) entry->second = now + kRefreshRetryMs;
      else refreshing.erase(entry);
    }
  }

  HttpResponse file_response(const OriginFile& file, const HttpRequest& request, const char* cache) {
    HttpResponse response = answer_file(file, request);
    response.headers.emplace_back("X-Isrgen-Cache", cache);
    return response;
  }

  void answer_origin(HttpRequest&& request, Responder respond) {
    auto view_now = current_view();
    auto host = find_header(request.headers, "Host");
    auto route = resolve_tenant(view_now->config, host ? *host : std::string_view(), request.path);
    if (!route) return respond(not_found());
    auto found = origin->find(route->relative);
    if (found.redirect) {
      HttpResponse response = HttpResponse::text(308, "");
      response.headers.emplace_back("Location", route->url_for(*found.redirect));
      return respond(std::move(response));
    }
    if (found.file) {
      auto stale = view_now->staleness.stale_sources_of_output(found.file->output, clock().now_unix_ms());
      if (stale.empty()) {
        cache_hit->increment();
        return respond(file_response(*found.file, request, "HIT"));
      }
      cache_stale->increment();
      schedule_refresh(stale);
      return respond(file_response(*found.file, request, "STALE"));
    }
    answer_first_request(std::move(request), *route, std::move(respond));
  }

  // No file: a page never rendered (prerender = "high"), or one whose output
  // went missing, is rendered now and the request answered once it is there.
  void answer_first_request(HttpRequest&& request, const TenantRoute& route, Responder respond) {
    std::string tenant_url = route.relative.substr(route.tenant.size());
    if (tenant_url.empty()) tenant_url = "/";
    auto availability = [&] {
      std::lock_guard lock(index_mutex);
      return page_availability(*index, route.tenant, tenant_url);
    }();
    if (!availability) return respond(HttpResponse::text(500, "the state index cannot be read\n"));
    if (availability.value() == PageAvailability::kNotAPage) return respond(not_found());
    std::string url = "/" + route.tenant + tenant_url;
    bool first;
    {
      std::lock_guard lock(isr_mutex);
      auto& list = waiting[url];
      first = list.empty();
      list.push_back({std::move(request), std::move(respond)});
    }
    if (!first) return;  // its render is queued already
    auto accepted = jobs->accept(JobRequest{{}, {url}, std::nullopt}, setup.config.max_queued);
    if (accepted && std::holds_alternative<Acceptance>(accepted.value())) return worker->notify();
    std::vector<WaitingRequest> refused = take_waiting(url);
    for (WaitingRequest& waiting_request : refused)
      waiting_request.respond(HttpResponse::text(503, "the build queue is full; retry later\n"));
  }

  std::vector<WaitingRequest> take_waiting(const std::string& url) {
    std::lock_guard lock(isr_mutex);
    auto entry = waiting.find(url);
    if (entry == waiting.end()) return {};
    std::vector<WaitingRequest> taken = std::move(entry->second);
    waiting.erase(entry);
    return taken;
  }

  void answer_waiting(const MergedWork& work) {
    for (const std::string& url : work.paths) {
      for (WaitingRequest& waiting_request : take_waiting(url)) {
        auto view_now = current_view();
        auto host = find_header(waiting_request.request.headers, "Host");
        auto route = resolve_tenant(view_now->config, host ? *host : std::string_view(), waiting_request.request.path);
        auto found = route ? origin->find(route->relative) : OriginLookup{};
        if (found.file) {
          cache_miss->increment();
          waiting_request.respond(file_response(*found.file, waiting_request.request, "MISS"));
        } else {
          waiting_request.respond(HttpResponse::text(500, "the page could not be rendered; see the server's log\n"));
        }
      }
    }
  }

  // --- routing --------------------------------------------------------------

  void handle(HttpRequest&& request, Responder respond) {
    const std::string& path = request.path;
    const bool read = request.method == "GET" || request.method == "HEAD";
    if (path == "/revalidate") {
      if (request.method != "POST") {
        count_webhook_answer(405);
        return respond(method_not_allowed("POST"));
      }
      return answer_webhook(std::move(request), std::move(respond));
    }
    if (path == "/healthz" || path == "/metrics" || is_job_path(path)) {
      if (!read) return respond(method_not_allowed("GET, HEAD"));
      if (path == "/healthz") return answer_health(std::move(respond));
      if (path == "/metrics")
        return respond(HttpResponse::text(200, metrics.render(), MetricsRegistry::kContentType));
      return answer_job(request, std::move(respond));
    }
    if (!read) return respond(method_not_allowed("GET, HEAD"));
    answer_origin(std::move(request), std::move(respond));
  }
};

ServeApp::ServeApp(std::shared_ptr<State> state) : state_(std::move(state)) {}

ServeApp::~ServeApp() { shutdown(0); }

Result<std::unique_ptr<ServeApp>> ServeApp::start(ServeSetup setup) {
  auto state = std::make_shared<State>(std::move(setup));
  State& s = *state;
  auto config = load_site_config(s.setup.paths);
  if (!config) return config.error();
  auto deploy = publish::load_deploy_config(s.setup.paths.root,
                                            s.setup.env ? s.setup.env : data::process_environment());
  if (!deploy) return deploy.error();
  auto index = DepIndex::open(s.setup.paths.state_db());
  if (!index) return index.error();
  s.index = std::move(index.value());
  auto staleness = StalenessIndex::load(*s.index, config.value());
  if (!staleness) return staleness.error();
  s.view = std::make_shared<SiteView>(SiteView{std::move(config.value()), std::move(staleness.value())});
  s.origin = std::make_unique<OriginFiles>(s.setup.paths.out, std::move(deploy.value()));

  auto jobs = JobStore::open(jobs_db_path(s.setup.paths), s.clock());
  if (!jobs) return jobs.error();
  s.jobs = std::move(jobs.value());
  s.committer = std::make_unique<JobCommitter>(*s.jobs, s.setup.config.max_queued);
  s.register_metrics();
  WorkerObservers observers;
  observers.batch_finished = [&s](const std::vector<Job>& jobs, JobStatus status, const WorkOutcome& outcome) {
    int64_t now = s.clock().now_unix_ms();
    for (const Job& job : jobs) s.job_latency->observe(static_cast<double>(now - job.accepted_ms) / 1000.0);
    s.log_jobs(jobs, status);
    if (s.setup.after_build) s.setup.after_build(jobs, outcome);
  };
  observers.store_failed = [&s](const Error& error) { s.log_problem("serve: job store: " + error.to_string()); };
  s.worker = std::make_unique<JobWorker>(
      *s.jobs, [&s](const MergedWork& work) { return s.run(work); }, s.clock(), std::move(observers));
  // Listening comes first, so a port that cannot be bound leaves nothing
  // behind; a webhook that arrives before the worker starts waits in the queue.
  ServerLimits limits;
  limits.max_connections = s.setup.config.max_connections;
  limits.read_timeout_ms = static_cast<int>(s.setup.config.read_timeout_ms);
  limits.idle_timeout_ms = static_cast<int>(s.setup.config.idle_timeout_ms);
  limits.threads = s.setup.config.threads;
  auto server = HttpServer::start(
      s.setup.config.listen, limits,
      [&s](HttpRequest&& request, Responder respond) { s.handle(std::move(request), std::move(respond)); },
      [&s](std::string_view path, int status) {
        if (path == "/revalidate") s.count_webhook_answer(status);
      });
  if (!server) return server.error();
  s.server = std::move(server.value());
  // The start-up build catches up with what changed while no server ran.
  auto startup = s.jobs->accept(JobRequest{}, s.setup.config.max_queued);
  Status started = startup ? s.worker->start() : Status(startup.error());
  if (!started) {
    s.server->shutdown(0);
    return started.error();
  }
  s.refresh_timer = std::thread([&s] { s.run_refresh_timer(); });
  return std::unique_ptr<ServeApp>(new ServeApp(std::move(state)));
}

uint16_t ServeApp::port() const { return state_->server->port(); }

void ServeApp::shutdown(int grace_ms) {
  if (!state_ || !state_->server) return;
  state_->server->shutdown(grace_ms);
  // Webhooks still in a batch are committed (their answers go nowhere now),
  // so the worker's last round sees them.
  state_->committer.reset();
  state_->stop_refresh_timer();
  state_->worker->stop();
  state_->server.reset();
}

}  // namespace isrgen::serve
