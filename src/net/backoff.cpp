#include "net/backoff.h"

#include <algorithm>
#include <memory>
#include <random>

namespace isrgen::net {

RandomUpTo seeded_random_up_to() {
  auto generator = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [generator](int64_t upper) {
    return std::uniform_int_distribution<int64_t>(0, upper)(*generator);
  };
}

int64_t retry_delay_ms(const BackoffPolicy& policy, int retry, int64_t retry_after_ms,
                       const RandomUpTo& random_up_to) {
  int64_t cap = std::max<int64_t>(policy.cap_ms, 0);
  if (retry_after_ms > 0) return std::min(retry_after_ms, cap);
  // Doubling stops at the cap rather than shifting, so many retries cannot overflow.
  int64_t ceiling = std::clamp<int64_t>(policy.base_ms, 0, cap);
  for (int n = 1; n < retry && ceiling < cap; ++n) ceiling = std::min(ceiling * 2, cap);
  return ceiling == 0 ? 0 : random_up_to(ceiling);
}

}  // namespace isrgen::net
