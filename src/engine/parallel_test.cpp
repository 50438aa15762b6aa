#include "engine/parallel.h"

#include <atomic>
#include <vector>

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("parallel_for runs every item exactly once") {
  for (int jobs : {1, 2, 8}) {
    std::vector<std::atomic<int>> hits(1000);
    parallel_for(hits.size(), jobs, [&](size_t i) { hits[i]++; });
    int wrong = 0;
    for (auto& hit : hits) wrong += hit.load() != 1;
    CHECK(wrong == 0);
  }
  parallel_for(0, 4, [](size_t) { FAIL("no items, no calls"); });
  CHECK(default_jobs() >= 1);
}
