// Feeds a ListObjectsV2 response body (XML from an S3-compatible bucket, or
// whatever answers in its place) to parse_listing_page, which `isrgen sync`
// uses to read the bucket's keys, sizes, ETags and continuation token.
#include <cstddef>
#include <cstdint>
#include <string>

#include "publish/s3_bucket_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string xml(reinterpret_cast<const char*>(data), size);
  auto page = isrgen::publish::parse_listing_page(xml);
  if (!page) (void)page.error().to_string();
  return 0;
}
