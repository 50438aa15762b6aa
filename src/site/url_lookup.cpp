#include "site/url_lookup.h"

namespace isrgen {

std::string normalise_path(std::string path) {
  path = path.substr(0, path.find_first_of("?#"));
  if (path.empty() || path[0] != '/') path.insert(path.begin(), '/');
  if (path.ends_with("/index.html")) path.resize(path.size() - std::string("index.html").size());
  if (!path.ends_with('/')) path += '/';
  return path;
}

Result<TenantUrl> resolve_url(const SiteConfig& config, const std::string& url) {
  if (url.starts_with("http://") || url.starts_with("https://")) {
    for (const auto& [id, tenant] : config.tenants) {
      const std::string& base = tenant.base_url;
      if (url == base || url.starts_with(base + "/")) return TenantUrl{id, normalise_path(url.substr(base.size()))};
    }
    return make_error("", 0, "'" + url + "' is on no tenant's base_url (see [tenants.*] in content/site.toml)");
  }
  std::string path = url.starts_with('/') ? url.substr(1) : url;
  size_t slash = path.find('/');
  std::string tenant = path.substr(0, slash);
  if (!config.tenants.contains(tenant))
    return make_error("", 0, "'" + url + "' does not start with a tenant: use /<tenant>/<path> or a full URL");
  return TenantUrl{tenant, normalise_path(slash == std::string::npos ? "/" : path.substr(slash))};
}

}  // namespace isrgen
