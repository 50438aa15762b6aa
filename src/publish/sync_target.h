// Turns a --target (or [deploy] target) into a BucketClient:
//   s3://bucket[/prefix]      an S3-compatible bucket, credentials and endpoint
//                             from the AWS_* environment variables
//   file:///srv/www, ./public a local folder; a relative one is relative to
//                             `relative_to` (the site root for [deploy] target,
//                             the working directory for --target)
// The target's id names it in the deploy state: the same bucket behind
// another endpoint is another target.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "publish/bucket_client.h"
#include "publish/deploy_config.h"
#include "publish/http_call.h"

namespace isrgen::publish {

struct SyncTarget {
  std::string id;
  std::unique_ptr<BucketClient> client;
};

// The bucket and prefix (no trailing '/') of an s3:// URL.
struct S3Location {
  std::string bucket;
  std::string prefix;
};
Result<S3Location> parse_s3_location(const std::string& url);

// The folder a file:// URL or a folder path names, absolute: a relative one
// is taken relative to `relative_to` (empty: the working directory). An error
// for a URL of any other scheme.
Result<std::filesystem::path> folder_location(const std::string& url, const std::filesystem::path& relative_to);

// `relative_to` empty: the working directory.
Result<SyncTarget> open_sync_target(const std::string& url, const data::EnvLookup& environment,
                                    const HttpRunOptions& options, const std::filesystem::path& relative_to = {});

}  // namespace isrgen::publish
