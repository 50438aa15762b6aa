// BucketClient for an S3-compatible bucket: ListObjectsV2 with paging, PUT and
// DELETE per object, all through the transfer loop (net/transfer_loop.h:
// parallel transfers over reused connections, retries with backoff).
#pragma once

#include <memory>
#include <string>

#include "publish/bucket_client.h"
#include "publish/http_call.h"
#include "publish/s3_request.h"

namespace isrgen::publish {

std::unique_ptr<BucketClient> make_s3_bucket_client(S3Settings settings, std::string bucket, std::string prefix,
                                                   HttpRunOptions options);

// The objects and paging state of one ListObjectsV2 response body.
struct ListingPage {
  std::vector<RemoteObject> objects;  // keys as the bucket has them (prefix included)
  std::string next_continuation_token;  // empty on the last page
};
Result<ListingPage> parse_listing_page(const std::string& xml);

}  // namespace isrgen::publish
