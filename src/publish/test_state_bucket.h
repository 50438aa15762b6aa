// An in-memory StateBucket for unit tests, honouring the write conditions as
// S3 does; `before_put` lets a test slip another writer in between a run's
// read and its conditional write.
#pragma once

#include <atomic>
#include <functional>
#include <map>

#include "publish/digest.h"
#include "publish/state_bucket.h"

namespace isrgen::publish::testing {

class MemoryStateBucket final : public StateBucket {
 public:
  std::string describe() const override { return "memory://state/"; }
  Result<std::optional<StoredObject>> get(const std::string& key) override {
    auto found = objects.find(key);
    if (found == objects.end()) return std::optional<StoredObject>();
    return std::optional<StoredObject>(StoredObject{found->second, md5_hex(found->second)});
  }
  Result<std::optional<std::string>> put(const std::string& key, const std::string& bytes,
                                         const PutCondition& condition) override {
    if (before_put) std::exchange(before_put, nullptr)(key, condition);
    if (failing_puts > 0) {
      --failing_puts;
      return make_environment_error(describe() + key, "HTTP 503 (a stand-in for a bucket that fails)");
    }
    auto found = objects.find(key);
    if (condition.kind == PutCondition::kIfAbsent && found != objects.end()) return std::optional<std::string>();
    if (condition.kind == PutCondition::kIfMatch && (found == objects.end() || md5_hex(found->second) != condition.etag))
      return std::optional<std::string>();
    objects[key] = bytes;
    ++puts;
    return std::optional<std::string>(md5_hex(bytes));
  }
  Status remove(const std::string& key) override {
    objects.erase(key);
    return Status::Ok();
  }

  std::map<std::string, std::string> objects;
  std::atomic<int> puts = 0;  // writes that landed (a lease's renewal thread counts too)
  int failing_puts = 0;  // the next this many writes fail without landing
  std::function<void(const std::string& key, const PutCondition& condition)> before_put;  // called once
};

}  // namespace isrgen::publish::testing
