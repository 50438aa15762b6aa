#include "data/reordering.h"

#include <catch2/catch.hpp>

using isrgen::data::moved_elements;
using Indices = std::vector<size_t>;

TEST_CASE("an order that only grows moved nothing") {
  CHECK(moved_elements({}).empty());
  CHECK(moved_elements({0, 1, 2, 3}).empty());
  CHECK(moved_elements({0, 2, 5, 9}).empty());  // gaps are removals, not moves
}

TEST_CASE("a swap moves one of the two") {
  CHECK(moved_elements({1, 0}).size() == 1);
  CHECK(moved_elements({0, 2, 1, 3}).size() == 1);
}

TEST_CASE("moving one element to the front names only that element") {
  CHECK(moved_elements({3, 0, 1, 2}) == Indices{0});
  CHECK(moved_elements({1, 2, 3, 0}) == Indices{3});
}

TEST_CASE("the elements outside the longest increasing run moved") {
  CHECK(moved_elements({2, 0, 1, 5, 3, 4}) == Indices{0, 3});
  CHECK(moved_elements({3, 2, 1, 0}).size() == 3);
}
