// How hard a request is tried: its timeouts, the size its answer may have,
// its retries, and whether it follows redirects. Remote sources take theirs
// from each source's settings; the publisher uses one for all its requests.
#pragma once

#include <cstdint>
#include <string>

namespace isrgen::net {

// The settings that raise each limit, named in the error when the limit is
// hit ("timed out after 30 s (raise timeout)"); empty where the limit is fixed.
struct LimitSettings {
  std::string timeout;
  std::string connect_timeout;
  std::string max_bytes;
};

struct TransferPolicy {
  int64_t connect_timeout_ms = 5'000;
  int64_t timeout_ms = 30'000;       // each attempt, from connect to the last byte; 0: none
  int64_t low_speed_timeout_ms = 0;  // an attempt that moves no byte for this long fails; 0: none
  int64_t max_bytes = 16 << 20;      // of the decoded body; more is an error, never a truncation; 0 or less: none
  int retries = 3;                   // further attempts after a timeout, a connection error, a 5xx or a 429
  int64_t retry_delay_ms = 500;      // backoff base (backoff.h)
  // For GET requests: follow up to 5 redirects over http and https, a request
  // that carries credentials only within its origin. Off: a redirect is the
  // answer, and one to another origin an error (redirect_policy.h).
  bool follow_redirects = false;
  LimitSettings settings;
};

}  // namespace isrgen::net
