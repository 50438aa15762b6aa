#include "serve/site_view.h"

#include <utility>

namespace isrgen::serve {

Result<std::unique_ptr<SiteViews>> SiteViews::open(const SitePaths& paths, SiteConfig config) {
  auto index = DepIndex::open(paths.state_db());
  if (!index.ok()) return index.error();
  std::unique_ptr<SiteViews> views(new SiteViews(std::move(index).value()));
  auto first = views->load(std::move(config));
  if (!first.ok()) return first.error();
  views->view_ = std::move(first).value();
  return views;
}

std::shared_ptr<const SiteView> SiteViews::current() const {
  std::lock_guard lock(view_mutex_);
  return view_;
}

Status SiteViews::update(SiteConfig config) {
  auto fresh = load(std::move(config));
  if (!fresh.ok()) return fresh.error();
  std::lock_guard lock(view_mutex_);
  view_ = std::move(fresh).value();
  return Status::Ok();
}

Result<PageAvailability> SiteViews::availability(const std::string& tenant, const std::string& tenant_url) const {
  std::lock_guard lock(index_mutex_);
  return page_availability(*index_, tenant, tenant_url);
}

Result<std::shared_ptr<const SiteView>> SiteViews::load(SiteConfig config) const {
  auto staleness = [&] {
    std::lock_guard lock(index_mutex_);
    return StalenessIndex::load(*index_, config);
  }();
  if (!staleness.ok()) return staleness.error();
  return std::shared_ptr<const SiteView>(
      std::make_shared<SiteView>(SiteView{std::move(config), std::move(staleness).value()}));
}

}  // namespace isrgen::serve
