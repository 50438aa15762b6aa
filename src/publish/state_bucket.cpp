#include "publish/state_bucket.h"

#include "publish/sync_target.h"

namespace isrgen::publish {

Result<std::unique_ptr<StateBucket>> open_state_bucket(const std::string& url, const data::EnvLookup& environment,
                                                       const HttpRunOptions& options,
                                                       const std::filesystem::path& relative_to) {
  if (url.starts_with("s3://")) {
    auto location = parse_s3_location(url);
    if (!location.ok()) return location.error();
    auto settings = s3_settings_from_environment(environment);
    if (!settings.ok()) return settings.error();
    return make_s3_state_bucket(settings.value(), location.value().bucket, location.value().prefix, options);
  }
  auto folder = folder_location(url, relative_to);
  if (!folder.ok()) return folder.error();
  return make_folder_state_bucket(folder.value());
}

}  // namespace isrgen::publish
