// What each CDN's purge API takes in one request, as its documentation states
// it. purge.h batches to these; [deploy.purge] batch_size may go lower (or, on
// Cloudflare Enterprise, higher), never past the provider's ceiling.
#pragma once

#include <cstddef>
#include <string_view>

namespace isrgen::publish {

// CloudFront, "Concurrent invalidation request maximum" (Developer Guide):
// invalidations of up to 3,000 individual paths per distribution may be in
// progress at once, and up to 15 wildcard paths, counted apart. More paths
// than this in one sync go as the single wildcard "/*".
constexpr size_t kCloudFrontPathsInProgress = 3000;

// Fastly API, "Purge multiple surrogate key tags" (POST /service/{id}/purge):
// up to 256 surrogate keys per request.
constexpr size_t kFastlyKeysPerRequest = 256;

// Cloudflare, "Purge cache" limits: 100 tags, hosts, prefixes or URLs per
// request on the Free, Pro and Business plans, 500 on Enterprise.
constexpr size_t kCloudflareItemsPerRequest = 100;
constexpr size_t kCloudflareEnterpriseItemsPerRequest = 500;

// The highest [deploy.purge] batch_size `provider` accepts; 0 where requests
// are not batched by count (webhook: one request; cloudfront: one invalidation).
inline size_t max_batch_size(std::string_view provider) {
  if (provider == "fastly") return kFastlyKeysPerRequest;
  if (provider == "cloudflare") return kCloudflareEnterpriseItemsPerRequest;
  return 0;
}

// The batch size used when [deploy.purge] batch_size is 0.
inline size_t default_batch_size(std::string_view provider) {
  return provider == "cloudflare" ? kCloudflareItemsPerRequest : max_batch_size(provider);
}

}  // namespace isrgen::publish
