#include "build/page_lookup.h"

#include "site/url_lookup.h"
#include "util/fs.h"

namespace isrgen {

const char* availability_name(PageAvailability availability) {
  switch (availability) {
    case PageAvailability::kRendered: return "rendered";
    case PageAvailability::kDeferred: return "deferred";
    case PageAvailability::kNotAPage: return "not a page";
  }
  return "not a page";
}

Result<PageAvailability> page_availability(const DepIndex& index, const std::string& tenant,
                                           const std::string& tenant_url) {
  const std::string url = normalise_path(tenant_url);
  auto rendered = index.pages_at_url(tenant, url);
  if (!rendered.ok()) return rendered.error();
  if (!rendered.value().empty()) return PageAvailability::kRendered;
  auto deferred = index.deferred_pages_at_url(tenant, url);
  if (!deferred.ok()) return deferred.error();
  return deferred.value().empty() ? PageAvailability::kNotAPage : PageAvailability::kDeferred;
}

Result<PageAvailability> page_availability(const SitePaths& paths, const SiteConfig& config,
                                           const std::string& tenant, const std::string& tenant_url) {
  if (!config.tenants.contains(tenant)) return PageAvailability::kNotAPage;
  if (!fs::exists(paths.state_db()))
    return make_error(relative_display(paths.state_db(), paths.root), 0, "no state yet: run `isrgen build` first");
  auto index = DepIndex::open(paths.state_db());
  if (!index.ok()) return index.error();
  return page_availability(*index.value(), tenant, tenant_url);
}

}  // namespace isrgen
