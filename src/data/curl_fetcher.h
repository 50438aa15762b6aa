// The real HttpFetcher, on libcurl's multi interface. A batch runs all at
// once on the calling thread, at most max_parallel transfers in flight, over
// connections reused between requests to the same host. A failed attempt
// that may go better later (timeout, broken connection, 5xx, 429) is retried
// after a jittered backoff (backoff.h) while the rest of the batch goes on.
//
// Each request: GET with its own headers plus Accept: application/json and
// User-Agent: isrgen/<version>, its validators as If-None-Match and
// If-Modified-Since, every Content-Encoding libcurl can undo, at most 5
// redirects over http and https only. A request with headers of its own, or
// a user or password in its url, follows a redirect only within its origin
// (scheme, host, port): one to
// another origin fails, naming both (url_origin.h), and that host is never
// asked. max_bytes counts the decoded body, so a compressed or chunked body
// cannot grow past it either (0 or less: no limit). A response whose transfer
// failed (cut off, over max_bytes, redirected away) has status 0,
// no body and an error; a response that arrived has its status, whatever it
// is, and no error.
#pragma once

#include <functional>

#include <curl/curl.h>

#include "data/backoff.h"
#include "data/http_fetcher.h"

namespace isrgen::data {

// Starts a transfer: curl_multi_add_handle, or a stand-in a test uses to see
// the fetcher through a start libcurl refuses (it does only when out of memory
// or misused). A refused start ends that attempt with an error, not retried.
using AddHandle = std::function<CURLMcode(CURLM* multi, CURL* easy)>;

struct CurlFetcherOptions {
  int max_parallel = 16;                       // transfers in flight, and connections held
  int64_t max_retry_delay_ms = kMaxRetryDelayMs;  // caps backoff and Retry-After alike
  RandomUpTo random;                           // the jitter; empty: seeded per batch
  AddHandle add_handle;                        // empty: curl_multi_add_handle
};

class CurlFetcher final : public HttpFetcher {
 public:
  explicit CurlFetcher(CurlFetcherOptions options = {});
  // Safe to call from several threads at once: each call has its own
  // libcurl handles (an injected `random` must then be thread-safe).
  std::vector<HttpResponse> fetch_all(const std::vector<HttpRequest>& requests) override;

 private:
  CurlFetcherOptions options_;
};

}  // namespace isrgen::data
