#include "serve/response_stream.h"

#include <catch2/catch.hpp>

using isrgen::serve::ResponseStream;

TEST_CASE("response stream: chunks come out in order, and a waiting server is woken once", "[response_stream]") {
  ResponseStream stream(4);
  int wakes = 0;
  auto first = stream.take([&wakes] { ++wakes; });
  CHECK(first.bytes.empty());
  CHECK_FALSE(first.closed);
  CHECK(stream.push("a"));
  CHECK(stream.push("b"));
  CHECK(wakes == 1);
  auto taken = stream.take([&wakes] { ++wakes; });
  CHECK(taken.bytes == "ab");
  CHECK(wakes == 1);  // there was something to take: no wake kept
}

TEST_CASE("response stream: closing wakes the server, and what was queued is still taken", "[response_stream]") {
  ResponseStream stream(4);
  bool woken = false;
  stream.take([&woken] { woken = true; });
  stream.close();
  CHECK(woken);
  CHECK_FALSE(stream.push("late"));
  ResponseStream queued(4);
  queued.push("last words");
  queued.close();
  auto taken = queued.take(nullptr);
  CHECK(taken.bytes == "last words");
  CHECK(taken.closed);
}

TEST_CASE("response stream: a producer past max_pending closes it instead of waiting", "[response_stream]") {
  ResponseStream stream(2);
  CHECK(stream.push("1"));
  CHECK(stream.push("2"));
  CHECK_FALSE(stream.push("3"));
  CHECK(stream.closed());
  auto taken = stream.take(nullptr);
  CHECK(taken.bytes.empty());
  CHECK(taken.closed);
}
