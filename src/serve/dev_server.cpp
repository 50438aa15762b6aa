#include "serve/dev_server.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include "serve/dev_hosts.h"
#include "serve/dev_index.h"
#include "serve/dev_injection.h"
#include "serve/origin_files.h"
#include "serve/tenant_answers.h"
#include "template/escape.h"
#include "util/ascii.h"

namespace isrgen::serve {
namespace {

// What requests are answered from: replaced whole after each build.
struct DevView {
  SiteConfig config;
  std::vector<std::string> errors;  // of the latest build
};

HttpResponse html_answer(int status, std::string html) {
  HttpResponse response = HttpResponse::text(status, std::move(html), "text/html; charset=utf-8");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

std::string not_found_page(std::string_view path) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Not found</title>\n"
                     "</head>\n<body>\n<h1>Not found</h1>\n<p>No page or file at <code>";
  tmpl::append_html_escaped(html, path);
  return html + "</code> in the output. <a href=\"/\">Home</a></p>\n</body>\n</html>\n";
}

bool is_html(const OriginFile& file) { return file.content_type.starts_with("text/html"); }

}  // namespace

struct DevServer::State {
  explicit State(DevServerSetup s)
      : setup(std::move(s)), files(setup.paths.out, setup.deploy), redirects(setup.paths.out), events(setup.events),
        view(std::make_shared<const DevView>(DevView{setup.config, {}})) {}

  DevServerSetup setup;
  OriginFiles files;
  AliasRedirects redirects;
  EventHub events;
  std::unique_ptr<HttpServer> server;

  std::mutex mutex;  // guards what follows
  std::shared_ptr<const DevView> view;
  uint64_t builds = 0;
  bool stopping = false;
  std::condition_variable stop_requested;
  std::thread heartbeat;
  std::once_flag shutdown_once;

  std::shared_ptr<const DevView> current() {
    std::lock_guard lock(mutex);
    return view;
  }

  void answer(HttpRequest&& request, const Responder& respond) {
    if (request.method != "GET" && request.method != "HEAD") {
      HttpResponse refused = HttpResponse::text(405, "the preview only serves GET and HEAD\n");
      refused.headers.emplace_back("Allow", "GET, HEAD");
      return respond(std::move(refused));
    }
    std::string_view host = find_header(request.headers, "Host").value_or("");
    if (!is_preview_host(host))
      return respond(HttpResponse::text(421, "isrgen dev answers only localhost, *.localhost and IP addresses\n"));
    std::shared_ptr<const DevView> now = current();
    if (request.path == kDevEventsPath)
      return events.subscribe(respond, format_server_event("state", nlohmann::json{{"errors", now->errors}}.dump()));
    DevDestination destination = route_dev_request(now->config, host, request.path, request.query);
    switch (destination.kind) {
      case DevDestination::Kind::kIndex:
        return respond(html_answer(200, inject_live_reload(dev_index_page(now->config, host), {"", "/", now->errors})));
      case DevDestination::Kind::kRedirect: {
        HttpResponse moved = HttpResponse::text(302, "");
        moved.headers.emplace_back("Location", destination.location);
        return respond(std::move(moved));
      }
      case DevDestination::Kind::kNotFound:
        return respond(html_answer(404, inject_live_reload(not_found_page(request.path), {"", request.path, now->errors})));
      case DevDestination::Kind::kTenant:
        return respond(tenant_file(request, destination.route, *now));
    }
  }

  HttpResponse tenant_file(const HttpRequest& request, const TenantRoute& route, const DevView& now) {
    if (auto moved = redirects.answer(route)) return std::move(*moved);
    OriginLookup found = files.find(route.relative);
    if (found.redirect) {
      HttpResponse moved = HttpResponse::text(308, "");
      moved.headers.emplace_back("Location", route.url_for(*found.redirect));
      return moved;
    }
    LiveReloadContext context{route.tenant, request.path, now.errors};
    // A page that is not there yet reloads when a build writes it.
    if (!found.file) {
      auto page = tenant_not_found_file(files, now.config, route);
      return html_answer(404, inject_live_reload(page ? *page->body : not_found_page(request.path), context));
    }
    if (is_html(*found.file)) return html_answer(200, inject_live_reload(*found.file->body, context));
    HttpResponse response = answer_file(*found.file, request);
    for (auto& [name, value] : response.headers)
      if (equals_ignoring_ascii_case(name, "Cache-Control")) value.clear();
    std::erase_if(response.headers, [](const auto& header) { return header.second.empty(); });
    response.headers.emplace_back("Cache-Control", "no-cache");
    return response;
  }

  void beat() {
    std::unique_lock lock(mutex);
    while (!stop_requested.wait_for(lock, std::chrono::milliseconds(setup.heartbeat_ms), [this] { return stopping; })) {
      lock.unlock();
      events.heartbeat();
      lock.lock();
    }
  }
};

Result<std::unique_ptr<DevServer>> DevServer::start(DevServerSetup setup) {
  auto state = std::make_shared<State>(std::move(setup));
  State* parts = state.get();
  auto server = HttpServer::start(parts->setup.listen, parts->setup.limits,
                                  [parts](HttpRequest&& request, Responder respond) {
                                    parts->answer(std::move(request), respond);
                                  });
  if (!server) return server.error();
  state->server = std::move(server).value();
  state->heartbeat = std::thread([parts] { parts->beat(); });
  return std::unique_ptr<DevServer>(new DevServer(std::move(state)));
}

DevServer::DevServer(std::shared_ptr<State> state) : state_(std::move(state)) {}

DevServer::~DevServer() { shutdown(0); }

uint16_t DevServer::port() const { return state_->server->port(); }

void DevServer::after_build(DevBuildEvent event, std::optional<SiteConfig> config) {
  {
    std::lock_guard lock(state_->mutex);
    event.id = ++state_->builds;
    const std::shared_ptr<const DevView>& last = state_->view;
    state_->view = std::make_shared<const DevView>(DevView{config ? std::move(*config) : last->config, event.errors});
  }
  state_->events.publish(format_server_event("build", event.to_json().dump()));
}

void DevServer::shutdown(int grace_ms) {
  std::call_once(state_->shutdown_once, [this, grace_ms] {
    {
      std::lock_guard lock(state_->mutex);
      state_->stopping = true;
    }
    state_->stop_requested.notify_all();
    state_->heartbeat.join();
    state_->events.close_all();
    state_->server->shutdown(grace_ms);
  });
}

}  // namespace isrgen::serve
