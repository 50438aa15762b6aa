#include "publish/state_bucket.h"

namespace isrgen::publish {
namespace {

std::string unquoted(std::string etag) {
  std::erase(etag, '"');
  return etag;
}

class S3StateBucket final : public StateBucket {
 public:
  S3StateBucket(S3Settings settings, std::string bucket, std::string prefix, HttpRunOptions options)
      : settings_(std::move(settings)), bucket_(std::move(bucket)), prefix_(std::move(prefix)), options_(options) {
    if (!prefix_.empty()) prefix_ += '/';
    options_.max_answer_bytes = kMaxStateObjectBytes;
  }

  std::string describe() const override { return "s3://" + bucket_ + "/" + prefix_; }

  Result<std::optional<StoredObject>> get(const std::string& key) override {
    net::Response outcome = call("GET", key, {}, "");
    if (outcome.status == 404) return std::optional<StoredObject>();
    if (!outcome.ok()) return failure("reading", key, outcome);
    return std::optional<StoredObject>(StoredObject{std::move(outcome.body), unquoted(outcome.header("etag"))});
  }

  Result<std::optional<std::string>> put(const std::string& key, const std::string& bytes,
                                         const PutCondition& condition) override {
    std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/octet-stream"}};
    if (condition.kind == PutCondition::kIfAbsent) headers.emplace_back("If-None-Match", "*");
    if (condition.kind == PutCondition::kIfMatch) headers.emplace_back("If-Match", "\"" + condition.etag + "\"");
    net::Response outcome = call("PUT", key, headers, bytes);
    // 412: the condition failed; 409: S3 saw another conditional write to the
    // key in flight. Either way someone else got there.
    if (condition.kind != PutCondition::kAlways && (outcome.status == 412 || outcome.status == 409))
      return std::optional<std::string>();
    if (!outcome.ok()) return failure("writing", key, outcome);
    return std::optional<std::string>(unquoted(outcome.header("etag")));
  }

  Status remove(const std::string& key) override {
    net::Response outcome = call("DELETE", key, {}, "");
    if (!outcome.ok() && outcome.status != 404) return failure("removing", key, outcome);
    return Status::Ok();
  }

 private:
  net::Response call(const std::string& method, const std::string& key,
                     std::vector<std::pair<std::string, std::string>> headers, const std::string& body) {
    S3Request request;
    request.method = method;
    request.bucket = bucket_;
    request.key = prefix_ + key;
    request.headers = std::move(headers);
    request.body = body;
    return run_http_call(make_s3_call(settings_, request), options_);
  }

  Error failure(const std::string& doing, const std::string& key, const net::Response& outcome) const {
    return make_environment_error(describe() + key, doing + " the site's state failed: " + outcome.describe() +
                                                        " (check the credentials and the bucket, then run again)");
  }

  S3Settings settings_;
  std::string bucket_;
  std::string prefix_;
  HttpRunOptions options_;
};

}  // namespace

std::unique_ptr<StateBucket> make_s3_state_bucket(S3Settings settings, std::string bucket, std::string prefix,
                                                  HttpRunOptions options) {
  return std::make_unique<S3StateBucket>(std::move(settings), std::move(bucket), std::move(prefix), options);
}

}  // namespace isrgen::publish
