#include "publish/sync_target.h"

#include "publish/folder_bucket_client.h"
#include "publish/s3_bucket_client.h"

namespace isrgen::publish {

Result<S3Location> parse_s3_location(const std::string& url) {
  std::string rest = url.substr(5);
  size_t slash = rest.find('/');
  S3Location location{rest.substr(0, slash), slash == std::string::npos ? "" : rest.substr(slash + 1)};
  while (!location.prefix.empty() && location.prefix.back() == '/') location.prefix.pop_back();
  if (location.bucket.empty()) return make_error("", 0, "'" + url + "' names no bucket (s3://bucket/prefix)");
  return location;
}

Result<std::filesystem::path> folder_location(const std::string& url, const std::filesystem::path& relative_to) {
  if (url.find("://") != std::string::npos && !url.starts_with("file://"))
    return make_error("", 0, "unsupported URL '" + url + "' (s3://bucket/prefix, file:///folder or a folder path)");
  std::filesystem::path folder = url.starts_with("file://") ? url.substr(7) : url;
  if (folder.is_relative() && !relative_to.empty()) folder = relative_to / folder;
  return std::filesystem::absolute(folder).lexically_normal();
}

Result<SyncTarget> open_sync_target(const std::string& url, const data::EnvLookup& environment,
                                    const HttpRunOptions& options, const std::filesystem::path& relative_to) {
  if (url.empty())
    return make_error("", 0, "no target: give --target s3://bucket/prefix or a folder, or set [deploy] target in content/site.toml");
  if (url.starts_with("s3://")) {
    auto location = parse_s3_location(url);
    if (!location.ok()) return location.error();
    const auto& [bucket, prefix] = location.value();
    auto settings = s3_settings_from_environment(environment);
    if (!settings.ok()) return settings.error();
    std::string id = "s3://" + bucket + "/" + prefix;
    if (!settings.value().endpoint.empty()) id += " at " + settings.value().endpoint;
    return SyncTarget{id, make_s3_bucket_client(settings.value(), bucket, prefix, options)};
  }
  auto folder = folder_location(url, relative_to);
  if (!folder.ok()) return folder.error();
  return SyncTarget{"file://" + folder.value().string(), make_folder_bucket_client(folder.value())};
}

}  // namespace isrgen::publish
