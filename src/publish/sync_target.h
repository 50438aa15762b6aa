// Turns a --target (or [deploy] target) into a BucketClient:
//   s3://bucket[/prefix]      an S3-compatible bucket, credentials and endpoint
//                             from the AWS_* environment variables
//   file:///srv/www, ./public a local folder (relative to the working directory)
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

Result<SyncTarget> open_sync_target(const std::string& url, const EnvironmentLookup& environment,
                                    const HttpRunOptions& options);

}  // namespace isrgen::publish
