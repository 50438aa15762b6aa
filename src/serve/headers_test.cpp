#include "serve/headers.h"

#include <catch2/catch.hpp>

using namespace isrgen::serve;

TEST_CASE("webhook headers: names match in any case, the first one wins") {
  Headers headers{{"x-github-delivery", "first"}, {"X-GitHub-Delivery", "second"}, {"Content-Type", "json"}};
  CHECK(find_header(headers, "X-GITHUB-DELIVERY") == "first");
  CHECK(find_header(headers, "content-type") == "json");
  CHECK_FALSE(find_header(headers, "Idempotency-Key").has_value());
}
