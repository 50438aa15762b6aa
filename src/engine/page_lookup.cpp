#include "engine/page_lookup.h"

#include "site/url_lookup.h"

namespace isrgen {

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

}  // namespace isrgen
