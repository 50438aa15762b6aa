// The one libcurl multi loop of isrgen: remote sources' fetches, S3 uploads,
// listings and deletes, and CDN purges all run here. A batch runs on the
// calling thread, at most max_parallel transfers in flight, over connections
// reused between requests to the same host. A failed attempt that may go
// better later (timeout, broken connection, 5xx, 429: curl_failure.h) is
// retried after a jittered backoff (backoff.h), or the server's Retry-After,
// while the rest of the batch goes on; a retry waiting holds no connection.
//
// Each request: its headers and credential headers, User-Agent:
// isrgen/<version>, http and https only, redirects as its policy says
// (redirect_policy.h). A response whose transfer failed (cut off, over
// max_bytes, redirected away) has status 0, no body and an error; a response
// that arrived has its status, whatever it is, and no error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include <curl/curl.h>

#include "net/backoff.h"
#include "net/http_request.h"
#include "net/transfer_policy.h"

namespace isrgen::net {

// Starts a transfer: curl_multi_add_handle, or a stand-in a test uses to see
// the loop through a start libcurl refuses (it does only when out of memory
// or misused). A refused start ends that attempt with an error, not retried.
using AddHandle = std::function<CURLMcode(CURLM* multi, CURL* easy)>;

struct LoopOptions {
  int max_parallel = 16;                          // transfers in flight, and connections held
  int64_t max_retry_delay_ms = kMaxRetryDelayMs;  // caps backoff and Retry-After alike
  RandomUpTo random;                              // the jitter; empty: seeded per batch
  AddHandle add_handle;                           // empty: curl_multi_add_handle
};

// Runs as each request finishes, after its retries, on the calling thread:
// a caller can record progress as it happens, so a crash loses nothing that
// was confirmed.
using OnDone = std::function<void(size_t index, Response response)>;

// Performs every request, each under its own policy (policies[i] for
// requests[i]), and reports each once. Safe to call from several threads at
// once: each call has its own libcurl handles (an injected `random` must
// then be thread-safe).
void run_transfers(const std::vector<Request>& requests, const std::vector<TransferPolicy>& policies,
                   const LoopOptions& options, const OnDone& on_done);

// The same, every request under one policy.
void run_transfers(const std::vector<Request>& requests, const TransferPolicy& policy, const LoopOptions& options,
                   const OnDone& on_done);

}  // namespace isrgen::net
