// Local stand-ins for the CDN purge APIs isrgen talks to. Each checks every
// request against the provider's documented shape (method, path, credentials,
// body, per-request limits), answers as the provider does, and keeps what it
// accepted and every way a request broke the documented shape, for tests to
// assert on. A test points [deploy.purge] endpoint at endpoint().
//
//   CloudFrontMock  CreateInvalidation 2020-05-31, AWS Signature V4 verified with
//                   the secret, 3,000 individual paths (15 wildcards) in progress:
//                   201 + Location, or 400 TooManyInvalidationsInProgress
//   FastlyMock      batch surrogate-key purge, Fastly-Key, up to 256 keys, soft or not
//   CloudflareMock  purge_cache by tags/files/prefixes/hosts, Bearer token, per-request limit
#pragma once

#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "http_test_server.h"

namespace isrgen::testing {

class CdnMock {
 public:
  virtual ~CdnMock() = default;
  // What [deploy.purge] endpoint is set to.
  virtual std::string endpoint() const = 0;
  // Requests that did not match the documented shape, one line each.
  std::vector<std::string> problems() const;
  // What the provider accepted (paths, keys or tags), in the order they came.
  std::vector<std::string> purged() const;
  size_t request_count() const { return server_.request_count(); }
  std::vector<TestRequest> requests() const { return server_.requests(); }
  // The next `count` requests get 429 Too Many Requests with Retry-After.
  void throttle_next(int count, int retry_after_seconds = 1);

 protected:
  // The throttle's answer when one is due, else nothing (status 0).
  TestResponse take_throttle(const std::string& body);
  void problem(const std::string& text);
  void accept(const std::vector<std::string>& items);

  HttpTestServer server_;
  mutable std::mutex mutex_;
  std::vector<std::string> problems_;
  std::vector<std::string> purged_;
  int throttled_ = 0;
  int retry_after_seconds_ = 1;
};

class CloudFrontMock final : public CdnMock {
 public:
  CloudFrontMock(std::string distribution_id, std::string access_key_id, std::string secret_access_key);
  std::string endpoint() const override { return server_.url(""); }
  // Every invalidation accepted so far completes (none is in progress any more).
  void complete_all();
  // The next `count` requests are refused as when too many are in progress.
  void refuse_next(int count);
  std::vector<std::string> caller_references() const;

 private:
  TestResponse handle(const TestRequest& request);
  std::string distribution_id_;
  std::string access_key_id_;
  std::string secret_access_key_;
  size_t paths_in_progress_ = 0;
  size_t wildcards_in_progress_ = 0;
  int refused_ = 0;
  std::vector<std::string> references_;
};

class FastlyMock final : public CdnMock {
 public:
  FastlyMock(std::string service_id, std::string token);
  std::string endpoint() const override { return server_.url(""); }
  size_t soft_requests() const;  // how many came with Fastly-Soft-Purge: 1

 private:
  TestResponse handle(const TestRequest& request);
  std::string service_id_;
  std::string token_;
  size_t soft_ = 0;
};

class CloudflareMock final : public CdnMock {
 public:
  // `items_per_request`: the plan's limit (100 on Free, Pro and Business).
  CloudflareMock(std::string zone_id, std::string token, size_t items_per_request = 100);
  std::string endpoint() const override { return server_.url("/client/v4"); }

 private:
  TestResponse handle(const TestRequest& request);
  std::string zone_id_;
  std::string token_;
  size_t items_per_request_;
};

// Whether `request` carries a valid AWS Signature V4 (Authorization header)
// for `service` in `region` under these credentials: "" when it does, else
// what is wrong. Recomputed here from the request as received.
std::string sigv4_problem(const TestRequest& request, const std::string& access_key_id,
                          const std::string& secret_access_key, const std::string& region, const std::string& service);

}  // namespace isrgen::testing
