#include "engine/previous_build.h"

namespace isrgen {

std::optional<std::string> IndexLookup::snapshot_of(const std::string& path) const {
  if (!index_) return std::nullopt;
  auto snapshot = index_->load_snapshot(path);
  return snapshot.ok() ? snapshot.value() : std::nullopt;
}

Result<std::map<PageKey, std::vector<std::string>>> IndexLookup::pages_with_tags(
    const std::vector<std::string>& tags) const {
  if (!index_) return std::map<PageKey, std::vector<std::string>>();
  return index_->pages_with_tags(tags);
}

Result<std::map<PageKey, std::vector<std::string>>> IndexLookup::page_asset_outputs() const {
  if (!index_) return std::map<PageKey, std::vector<std::string>>();
  return index_->load_page_asset_outputs();
}

Result<PreviousBuild> load_previous_build(const DepIndex& index) {
  PreviousBuild previous;
  previous.lookup = IndexLookup(index);
  auto pages = index.load_pages();
  if (!pages.ok()) return pages.error();
  previous.pages = std::move(pages.value());
  auto inputs = index.load_inputs();
  if (!inputs.ok()) return inputs.error();
  previous.inputs = std::move(inputs.value());
  auto failed = index.load_page_errors();
  if (!failed.ok()) return failed.error();
  previous.failed = std::move(failed.value());
  auto statics = index.load_static_files();
  if (!statics.ok()) return statics.error();
  previous.static_files = std::move(statics.value());
  auto assets = index.load_asset_outputs();
  if (!assets.ok()) return assets.error();
  previous.asset_outputs = std::move(assets.value());
  auto sizes = index.load_image_sizes();
  if (!sizes.ok()) return sizes.error();
  previous.image_sizes = std::move(sizes.value());
  auto deferred = index.load_deferred_pages();
  if (!deferred.ok()) return deferred.error();
  previous.deferred = std::move(deferred.value());
  return previous;
}

}  // namespace isrgen
