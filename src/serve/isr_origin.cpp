#include "serve/isr_origin.h"

#include <utility>

#include "serve/headers.h"
#include "serve/tenant_answers.h"

namespace isrgen::serve {
namespace {

HttpResponse not_found() { return HttpResponse::text(404, "not found\n"); }

// The tenant's 404 page, else a plain one.
HttpResponse not_found_for(OriginFiles& files, const SiteConfig& config, const TenantRoute& route) {
  auto page = tenant_not_found_file(files, config, route);
  if (!page) return not_found();
  HttpResponse response;
  response.status = 404;
  response.shared_body = page->body;
  response.headers.emplace_back("Content-Type", page->content_type);
  return response;
}

HttpResponse file_response(const OriginFile& file, const HttpRequest& request, const char* cache) {
  HttpResponse response = answer_file(file, request);
  response.headers.emplace_back("X-Isrgen-Cache", cache);
  return response;
}

std::optional<TenantRoute> route_of(const SiteView& view, const HttpRequest& request) {
  auto host = find_header(request.headers, "Host");
  return resolve_tenant(view.config, host ? *host : std::string_view(), request.path);
}

}  // namespace

IsrOrigin::IsrOrigin(std::filesystem::path out_folder, publish::DeployConfig deploy, IsrOriginParts parts)
    : files_(out_folder, std::move(deploy)), redirects_(out_folder), parts_(std::move(parts)) {}

void IsrOrigin::answer(HttpRequest&& request, Responder respond) {
  auto view = parts_.site->current();
  auto route = route_of(*view, request);
  if (!route) return respond(not_found());
  if (auto moved = redirects_.answer(*route)) return respond(std::move(*moved));
  auto found = files_.find(route->relative);
  if (found.redirect) {
    HttpResponse response = HttpResponse::text(308, "");
    response.headers.emplace_back("Location", route->url_for(*found.redirect));
    return respond(std::move(response));
  }
  if (!found.file) return answer_first_request(std::move(request), *route, std::move(respond));
  auto stale = view->staleness.stale_sources_of_output(found.file->output, parts_.clock->now_unix_ms());
  if (stale.empty()) {
    parts_.metrics->count_hit();
    return respond(file_response(*found.file, request, "HIT"));
  }
  parts_.metrics->count_stale();
  parts_.refreshes->schedule(stale);
  respond(file_response(*found.file, request, "STALE"));
}

void IsrOrigin::answer_first_request(HttpRequest&& request, const TenantRoute& route, Responder respond) {
  std::string tenant_url = route.relative.substr(route.tenant.size());
  if (tenant_url.empty()) tenant_url.push_back('/');  // the tenant's root
  auto availability = parts_.site->availability(route.tenant, tenant_url);
  if (!availability) return respond(HttpResponse::text(500, "the state index cannot be read\n"));
  if (availability.value() == PageAvailability::kNotAPage)
    return respond(not_found_for(files_, parts_.site->current()->config, route));
  std::string url = "/" + route.tenant + tenant_url;
  bool first;
  {
    std::lock_guard lock(waiting_mutex_);
    auto& list = waiting_[url];
    first = list.empty();
    list.push_back({std::move(request), std::move(respond)});
  }
  if (!first || parts_.queue(JobRequest{{}, {url}, std::nullopt})) return;  // queued now, or already
  for (WaitingRequest& refused : take_waiting(url))
    refused.respond(HttpResponse::text(503, "the build queue is full; retry later\n"));
}

std::vector<IsrOrigin::WaitingRequest> IsrOrigin::take_waiting(const std::string& url) {
  std::lock_guard lock(waiting_mutex_);
  auto entry = waiting_.find(url);
  if (entry == waiting_.end()) return {};
  std::vector<WaitingRequest> taken = std::move(entry->second);
  waiting_.erase(entry);
  return taken;
}

void IsrOrigin::after_build(const MergedWork& work, const BuildReport* report) {
  if (report) {
    for (const RenderedEntry& page : report->rendered) files_.forget(page.output);
    for (const std::string& output : report->deleted) files_.forget(output);
  }
  for (const std::string& url : work.paths) {
    for (WaitingRequest& waiting : take_waiting(url)) {
      auto route = route_of(*parts_.site->current(), waiting.request);
      auto found = route ? files_.find(route->relative) : OriginLookup{};
      if (found.file) {
        parts_.metrics->count_miss();
        waiting.respond(file_response(*found.file, waiting.request, "MISS"));
      } else {
        waiting.respond(HttpResponse::text(500, "the page could not be rendered; see the server's log\n"));
      }
    }
  }
}

}  // namespace isrgen::serve
