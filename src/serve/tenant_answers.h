// What `isrgen serve` and `isrgen dev` answer for a tenant beyond its files:
// a 301 for an alias of a page (the tenant's record of redirects,
// publish/redirect_record.h), and for a path nothing answers, the tenant's
// 404 page with status 404: out/<tenant>/<lang>/404.html under /<lang>/ of
// another language than the default, else out/<tenant>/404.html.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "publish/redirect_record.h"
#include "serve/http_server.h"
#include "serve/origin_files.h"
#include "serve/tenant_resolution.h"
#include "site/site_config.h"

namespace isrgen::serve {

// The tenants' records of redirects, each read again only when its file changed
// (one stat a request). Safe to use from any thread.
class AliasRedirects {
 public:
  explicit AliasRedirects(std::filesystem::path out) : out_(std::move(out)) {}

  // 301 to the page when `route` is an alias ("acme/old/", "acme/old",
  // "acme/old/index.html"), with Location in the request's URL space.
  std::optional<HttpResponse> answer(const TenantRoute& route);

 private:
  struct Cached {
    std::string signature;
    publish::RedirectRecord record;
  };
  std::optional<std::string> target_of(const std::string& tenant, const std::string& tenant_path);

  const std::filesystem::path out_;
  std::mutex mutex_;
  std::map<std::string, Cached> by_tenant_;
};

// The tenant's 404 page for `route` (its language's, else the default
// language's), or null when the tenant has none.
std::shared_ptr<const OriginFile> tenant_not_found_file(OriginFiles& files, const SiteConfig& config,
                                                        const TenantRoute& route);

}  // namespace isrgen::serve
