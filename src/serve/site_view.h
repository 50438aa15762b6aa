// The site as `isrgen serve` sees it between builds: the settings the last
// build ran with (tenants for routing, [serve.map] for webhooks) and which
// pages show which remote sources, with when each goes stale. Replaced whole
// after each build; readers take a shared_ptr copy and hold no lock while
// they use it. The state index it is read from also answers whether a URL is
// a page not rendered yet.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "engine/page_lookup.h"
#include "engine/page_staleness.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen::serve {

struct SiteView {
  SiteConfig config;
  StalenessIndex staleness;
};

class SiteViews {
 public:
  // Opens the site's state index and makes the first view with `config`, the
  // settings read at start.
  static Result<std::unique_ptr<SiteViews>> open(const SitePaths& paths, SiteConfig config);
  SiteViews(const SiteViews&) = delete;
  SiteViews& operator=(const SiteViews&) = delete;

  std::shared_ptr<const SiteView> current() const;

  // After a build, with the settings it ran with: pages' sources and the
  // sources' fetch times may have changed. The error: the index could not be
  // read, and the previous view stays.
  Status update(SiteConfig config);

  // Whether a page is published at the tenant-relative URL, and rendered.
  Result<PageAvailability> availability(const std::string& tenant, const std::string& tenant_url) const;

 private:
  explicit SiteViews(std::unique_ptr<DepIndex> index) : index_(std::move(index)) {}
  Result<std::shared_ptr<const SiteView>> load(SiteConfig config) const;

  mutable std::mutex index_mutex_;  // the index is read from the worker and server threads
  std::unique_ptr<DepIndex> index_;
  mutable std::mutex view_mutex_;
  std::shared_ptr<const SiteView> view_;
};

}  // namespace isrgen::serve
