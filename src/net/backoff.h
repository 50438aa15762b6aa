// How long to wait before retrying a failed HTTP request. Full jitter: retry n
// (1 for the first retry) waits a random time in [0, base * 2^(n-1)], so the
// requests of a batch that failed together do not all come back at the same
// moment. A server's Retry-After replaces the guess, since it knows its own
// load. Every wait is capped, so a misconfigured base or a server asking for
// an hour cannot stall a build.
#pragma once

#include <cstdint>
#include <functional>

namespace isrgen::net {

constexpr int64_t kMaxRetryDelayMs = 10'000;

// A uniformly random whole number in [0, upper], both ends included.
using RandomUpTo = std::function<int64_t(int64_t upper)>;

// A RandomUpTo that owns a generator seeded from the system; not for sharing
// between threads.
RandomUpTo seeded_random_up_to();

struct BackoffPolicy {
  int64_t base_ms = 500;
  int64_t cap_ms = kMaxRetryDelayMs;
};

// The wait before retry `retry` (>= 1). `retry_after_ms` is what the server
// asked for, 0 when it did not.
int64_t retry_delay_ms(const BackoffPolicy& policy, int retry, int64_t retry_after_ms,
                       const RandomUpTo& random_up_to);

}  // namespace isrgen::net
