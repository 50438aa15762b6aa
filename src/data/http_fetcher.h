// The HTTP seam of remote data sources: a batch of GET requests in, one
// response per request out. The real fetcher (curl_fetcher.h) runs the whole
// batch in parallel with retries; tests of the layers above it substitute
// their own.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace isrgen::data {

struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // already expanded; never logged
  // Validators of the snapshot held, for a conditional request (either may be empty).
  std::string if_none_match;      // sent as If-None-Match
  std::string if_modified_since;  // sent as If-Modified-Since
  int64_t connect_timeout_ms = 5'000;
  int64_t timeout_ms = 30'000;         // each attempt, from connect to the last byte
  int64_t max_bytes = 16 << 20;        // of the decoded body; more is an error, not a truncation
  int retries = 3;                     // further attempts after a timeout, a connection error, a 5xx or a 429
  int64_t retry_delay_ms = 500;        // backoff base: attempt n waits up to base * 2^(n-1), with full jitter
};

struct HttpResponse {
  // The last attempt's HTTP status; 0 when no response arrived (then `error` says why).
  int status = 0;
  std::string body;           // decoded (Content-Encoding undone)
  std::string etag;           // response headers, empty when absent
  std::string last_modified;
  std::string content_type;
  std::string error;          // transport failure ("timed out after 30 s", "response over 16 MiB"), else empty
  int attempts = 0;
  int64_t elapsed_ms = 0;     // wall time of the whole exchange, retries included
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  // One response per request, in the same order. Never throws.
  virtual std::vector<HttpResponse> fetch_all(const std::vector<HttpRequest>& requests) = 0;
};

}  // namespace isrgen::data
