// The ISR origin of `isrgen serve`: GET and HEAD of the output folder, the
// tenant by Host or first path segment (tenant_resolution.h), files with the
// headers a bucket would give them (origin_files.h). X-Isrgen-Cache says how:
//
//   HIT    the file as built;
//   STALE  a page whose remote sources are past `revalidate`, served as it is
//          while one background build refreshes them (refresh_schedule.h);
//   MISS   a page not rendered yet (prerender = "high") or whose output went
//          missing: rendered by a build queued for its URL, and the request
//          answered once it is there; requests meanwhile share that build.
//
// An alias of a page (front matter `aliases`) is answered with a 301 to the
// page, and a path of a tenant that nothing answers with the tenant's 404 page
// and status 404 (serve/tenant_answers.h).
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/build_report.h"
#include "publish/deploy_config.h"
#include "serve/http_server.h"
#include "serve/job_worker.h"
#include "serve/origin_files.h"
#include "serve/refresh_schedule.h"
#include "serve/serve_metrics.h"
#include "serve/site_view.h"
#include "serve/tenant_answers.h"
#include "serve/tenant_resolution.h"
#include "util/clock.h"

namespace isrgen::serve {

struct IsrOriginParts {
  SiteViews* site = nullptr;
  RefreshSchedule* refreshes = nullptr;
  ServeMetrics* metrics = nullptr;
  const Clock* clock = nullptr;
  QueueJob queue;  // a first request's render
};

class IsrOrigin {
 public:
  // Serves `out_folder` with the headers `deploy`'s rules give each file.
  IsrOrigin(std::filesystem::path out_folder, publish::DeployConfig deploy, IsrOriginParts parts);
  IsrOrigin(const IsrOrigin&) = delete;
  IsrOrigin& operator=(const IsrOrigin&) = delete;

  // Answers a GET or HEAD now (HIT, STALE, 404) or, for a page's first
  // request, once its build ended (MISS, or 500 when it could not be rendered).
  void answer(HttpRequest&& request, Responder respond);

  // After a build, once the site view is the build's: the files it wrote or
  // deleted are read anew, and the requests waiting for its pages answered.
  void after_build(const MergedWork& work, const BuildReport* report);

 private:
  // A first request of a page that has not been rendered, waiting for its build.
  struct WaitingRequest {
    HttpRequest request;  // the method and headers matter (HEAD, If-None-Match)
    Responder respond;
  };

  void answer_first_request(HttpRequest&& request, const TenantRoute& route, Responder respond);
  std::vector<WaitingRequest> take_waiting(const std::string& url);

  OriginFiles files_;
  AliasRedirects redirects_;
  IsrOriginParts parts_;
  std::mutex waiting_mutex_;
  std::map<std::string, std::vector<WaitingRequest>> waiting_;  // by the URL its job renders, "/acme/summer/"
};

}  // namespace isrgen::serve
