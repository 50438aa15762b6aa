#include "net/backoff.h"

#include <vector>

#include <catch2/catch.hpp>

using namespace isrgen::net;

namespace {

// Records each ceiling it is asked about and answers with the ceiling itself,
// so a test sees the upper end of each jitter range.
struct CeilingRecorder {
  std::vector<int64_t> ceilings;
  RandomUpTo random() {
    return [this](int64_t upper) {
      ceilings.push_back(upper);
      return upper;
    };
  }
};

}  // namespace

TEST_CASE("backoff ceiling doubles with each retry from the base") {
  CeilingRecorder recorder;
  BackoffPolicy policy{100, kMaxRetryDelayMs};
  for (int retry = 1; retry <= 4; ++retry) retry_delay_ms(policy, retry, 0, recorder.random());
  CHECK(recorder.ceilings == std::vector<int64_t>{100, 200, 400, 800});
}

TEST_CASE("backoff is a random time between zero and the ceiling") {
  BackoffPolicy policy{100, kMaxRetryDelayMs};
  CHECK(retry_delay_ms(policy, 3, 0, [](int64_t) { return int64_t{0}; }) == 0);
  CHECK(retry_delay_ms(policy, 3, 0, [](int64_t upper) { return upper / 2; }) == 200);
  auto random = seeded_random_up_to();
  for (int i = 0; i < 100; ++i) {
    int64_t delay = retry_delay_ms(policy, 2, 0, random);
    CHECK(delay >= 0);
    CHECK(delay <= 200);
  }
}

TEST_CASE("backoff never exceeds the cap, even after many retries") {
  CeilingRecorder recorder;
  BackoffPolicy policy{500, 10'000};
  CHECK(retry_delay_ms(policy, 6, 0, recorder.random()) == 10'000);
  CHECK(retry_delay_ms(policy, 1000, 0, recorder.random()) == 10'000);
  CHECK(retry_delay_ms(BackoffPolicy{50'000, 10'000}, 1, 0, recorder.random()) == 10'000);
}

TEST_CASE("backoff follows Retry-After, capped, without jitter") {
  auto never = [](int64_t) -> int64_t {
    FAIL("no random wait when the server named one");
    return 0;
  };
  BackoffPolicy policy{100, 10'000};
  CHECK(retry_delay_ms(policy, 1, 3'000, never) == 3'000);
  CHECK(retry_delay_ms(policy, 1, 3'600'000, never) == 10'000);
}

TEST_CASE("backoff with a zero base retries at once") {
  CHECK(retry_delay_ms(BackoffPolicy{0, 10'000}, 5, 0, [](int64_t) -> int64_t {
          FAIL("nothing to randomize");
          return 0;
        }) == 0);
}
