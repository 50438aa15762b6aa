// Where a site's build state is kept between runs (`--state URL`): an
// S3-compatible bucket (`s3://bucket/prefix`) or a folder. Unlike a sync
// target, the state is read back, and two runs on two machines may write it
// at once, so a write can be made conditional: only when no object is there
// yet (S3's `If-None-Match: *`), or only when the object is still the one
// read before (`If-Match: <ETag>`). That is all the state's lease needs
// (state_lease.h) to let exactly one run in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "data/env_expand.h"
#include "publish/http_call.h"
#include "publish/s3_request.h"
#include "util/error.h"

namespace isrgen::publish {

struct StoredObject {
  std::string bytes;
  std::string etag;  // unquoted: what a later If-Match names
};

struct PutCondition {
  enum Kind { kAlways, kIfAbsent, kIfMatch };
  Kind kind = kAlways;
  std::string etag;  // for kIfMatch
};

class StateBucket {
 public:
  virtual ~StateBucket() = default;
  virtual std::string describe() const = 0;  // "s3://bucket/prefix" or "file:///folder"
  // The object at `key` (relative to the prefix), nullopt when there is none.
  virtual Result<std::optional<StoredObject>> get(const std::string& key) = 0;
  // Stores `bytes` at `key` when `condition` holds: the new object's ETag, or
  // nullopt when the condition did not hold (someone else wrote or removed it).
  virtual Result<std::optional<std::string>> put(const std::string& key, const std::string& bytes,
                                                 const PutCondition& condition) = 0;
  virtual Status remove(const std::string& key) = 0;  // no object there is no error
};

// The largest state object isrgen reads or writes (compressed).
constexpr int64_t kMaxStateObjectBytes = int64_t{1} << 30;

// A bucket's objects under `prefix` (no trailing '/'), each request signed and
// run through the publisher's transfer loop with its retries.
std::unique_ptr<StateBucket> make_s3_state_bucket(S3Settings settings, std::string bucket, std::string prefix,
                                                  HttpRunOptions options);
// The files of a folder (made when first written). A conditional write holds
// an flock(2) on the folder's .isrgen-state.lock while it compares and writes,
// so runs on one machine, or on machines sharing the folder over a file system
// that honours flock, take turns.
std::unique_ptr<StateBucket> make_folder_state_bucket(std::filesystem::path folder);

// Opens `url`: s3://bucket[/prefix] (credentials and endpoint from the AWS_*
// variables in `environment`), file:///folder or a folder path (relative to
// `relative_to`, empty: the working directory). An error for anything else.
Result<std::unique_ptr<StateBucket>> open_state_bucket(const std::string& url, const data::EnvLookup& environment,
                                                       const HttpRunOptions& options,
                                                       const std::filesystem::path& relative_to = {});

}  // namespace isrgen::publish
