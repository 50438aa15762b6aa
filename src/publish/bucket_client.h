// The bucket seam: what a sync needs from a target (list what it holds, put
// objects, delete objects), implemented for S3-compatible buckets and local
// folders, and by tests without any network. Keys are relative to the
// target's prefix, '/'-separated, as they appear under the output folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "util/error.h"

namespace isrgen::publish {

struct RemoteObject {
  std::string key;
  int64_t size = 0;
  std::string etag;  // unquoted, lower case: the MD5 of the bytes for a single-part upload
};

struct ObjectUpload {
  std::string key;
  std::filesystem::path file;  // the bytes, streamed from disk...
  std::string body;            // ...or these when `file` is empty (e.g. gzip-compressed)
  int64_t size = 0;            // of the bytes sent
  std::string md5;             // hex, of the bytes sent
  std::string sha256;          // hex, of the bytes sent
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type, Cache-Control, ...
};

using CompletionCallback = std::function<void(size_t index, const Status& status)>;

class BucketClient {
 public:
  virtual ~BucketClient() = default;
  virtual std::string describe() const = 0;  // "s3://bucket/prefix" or the folder
  virtual Result<std::vector<RemoteObject>> list() = 0;
  // Each call reports every item once, as it completes, on the calling thread.
  virtual void upload(const std::vector<ObjectUpload>& objects, const CompletionCallback& on_done) = 0;
  virtual void remove(const std::vector<std::string>& keys, const CompletionCallback& on_done) = 0;
};

}  // namespace isrgen::publish
