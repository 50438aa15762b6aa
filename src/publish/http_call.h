// The publisher's HTTP exchanges (object uploads, listings, deletes, CDN
// purges): Requests built as plain values by s3_request.h and purge.h, so
// tests check the exact request without a network, and run by the one
// transfer loop (net/transfer_loop.h) under the publisher's policy. No call
// follows a redirect: every one carries a signature or a token, so a 3xx is
// its answer, and one that points to another origin an error naming both.
// Answers are at most 16 MiB (a listing page of 1,000 keys is about 300 KB).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "net/backoff.h"
#include "net/http_request.h"

namespace isrgen::publish {


struct HttpRunOptions {
  int parallel = 8;                  // transfers in flight at once
  int retries = 3;                   // further attempts after a transport error, a 5xx or a 429
  int64_t retry_delay_ms = 200;      // backoff base (net/backoff.h): retry n waits up to base * 2^(n-1), or Retry-After
  int64_t connect_timeout_ms = 10'000;
  int64_t low_speed_timeout_ms = 60'000;  // abort an attempt that moves no bytes this long
  int64_t max_retry_delay_ms = net::kMaxRetryDelayMs;  // caps the backoff and a server's Retry-After alike
};

// Performs every call; `on_done(index, outcome)` runs on the calling thread as
// each call finishes (after its retries), so callers can record progress as it
// happens and a crash loses nothing that was confirmed.
void run_http_calls(const std::vector<net::Request>& calls, const HttpRunOptions& options,
                    const std::function<void(size_t index, net::Response outcome)>& on_done);

// One call, for requests that come alone (a listing page, a purge).
net::Response run_http_call(const net::Request& call, const HttpRunOptions& options);

}  // namespace isrgen::publish
