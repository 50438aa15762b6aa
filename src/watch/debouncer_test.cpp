#include "watch/debouncer.h"

#include <catch2/catch.hpp>

using namespace isrgen;
using namespace isrgen::watch;

namespace {
ChangeSet change(const std::string& path) { return ChangeSet{{path}, false}; }
}  // namespace

TEST_CASE("debounce waits for a quiet window after the first event") {
  ManualClock clock(1'000'000);
  Debouncer debouncer(clock, {150, 2000});
  CHECK_FALSE(debouncer.wait_ms() == 0);
  CHECK(debouncer.wait_ms() == -1);  // nothing pending: wait for events
  debouncer.add(change("content/a.md"));
  CHECK_FALSE(debouncer.wait_ms() == 0);
  CHECK(debouncer.wait_ms() == 150);
  clock.advance_ms(149);
  CHECK_FALSE(debouncer.wait_ms() == 0);
  clock.advance_ms(1);
  CHECK(debouncer.wait_ms() == 0);
  CHECK(debouncer.take().paths == std::set<std::string>{"content/a.md"});
}

TEST_CASE("debounce coalesces a burst into one build") {
  ManualClock clock(0);
  Debouncer debouncer(clock, {150, 2000});
  debouncer.add(change("content/a.md"));
  clock.advance_ms(100);
  debouncer.add(change("content/b.md"));
  clock.advance_ms(100);  // 200 ms after the first event, 100 after the last
  CHECK_FALSE(debouncer.wait_ms() == 0);
  debouncer.add(change("content/a.md"));
  clock.advance_ms(150);
  REQUIRE(debouncer.wait_ms() == 0);
  ChangeSet batch = debouncer.take();
  CHECK(batch.paths == std::set<std::string>{"content/a.md", "content/b.md"});
  debouncer.build_finished();
  CHECK_FALSE(debouncer.wait_ms() == 0);
}

TEST_CASE("debounce builds a constant stream after the maximum delay") {
  ManualClock clock(0);
  Debouncer debouncer(clock, {150, 2000});
  for (int i = 0; i < 19; ++i) {
    debouncer.add(change("content/data/feed.json"));
    clock.advance_ms(100);
    CHECK_FALSE(debouncer.wait_ms() == 0);
  }
  debouncer.add(change("content/data/feed.json"));  // at 1900 ms
  CHECK(debouncer.wait_ms() == 100);                // capped by the 2000 ms limit, not 1900 + 150
  clock.advance_ms(100);
  CHECK(debouncer.wait_ms() == 0);
}

TEST_CASE("debounce keeps events that arrive during a build for the next one") {
  ManualClock clock(0);
  Debouncer debouncer(clock, {150, 2000});
  debouncer.add(change("content/a.md"));
  clock.advance_ms(150);
  REQUIRE(debouncer.wait_ms() == 0);
  CHECK(debouncer.take().paths.size() == 1);
  debouncer.add(change("templates/layouts/page.mustache"));
  debouncer.add(ChangeSet{{}, true});
  clock.advance_ms(1000);
  CHECK_FALSE(debouncer.wait_ms() == 0);  // a build runs
  CHECK(debouncer.wait_ms() == -1);
  debouncer.build_finished();
  REQUIRE(debouncer.wait_ms() == 0);  // its window passed during the build
  ChangeSet next = debouncer.take();
  CHECK(next.paths == std::set<std::string>{"templates/layouts/page.mustache"});
  CHECK(next.rescan_all);
}

TEST_CASE("debounce ignores empty change sets") {
  ManualClock clock(0);
  Debouncer debouncer(clock);
  debouncer.add(ChangeSet{});
  clock.advance_ms(10'000);
  CHECK_FALSE(debouncer.wait_ms() == 0);
}

TEST_CASE("debounce builds at once when the clock steps back during the window") {
  ManualClock clock(1'000'000);
  Debouncer debouncer(clock, {150, 2000});
  debouncer.add(change("content/a.md"));
  clock.advance_ms(-3'600'000);  // an hour back (NTP, a resumed laptop)
  CHECK(debouncer.wait_ms() >= 0);
  CHECK(debouncer.wait_ms() <= 2000);
  CHECK(debouncer.wait_ms() == 0);
  CHECK(debouncer.take().paths == std::set<std::string>{"content/a.md"});
}

TEST_CASE("debounce counts the window from an event after the clock stepped back") {
  ManualClock clock(1'000'000);
  Debouncer debouncer(clock, {150, 2000});
  debouncer.add(change("content/a.md"));
  clock.advance_ms(100);
  clock.advance_ms(-60'000);
  debouncer.add(change("content/b.md"));
  CHECK(debouncer.wait_ms() == 150);  // a quiet window from the new event
  // A stream after the step still builds within the maximum delay of the step.
  for (int i = 0; i < 19; ++i) {
    clock.advance_ms(100);
    debouncer.add(change("content/b.md"));
    CHECK(debouncer.wait_ms() <= 2000);
  }
  CHECK(debouncer.wait_ms() == 100);
  clock.advance_ms(100);
  CHECK(debouncer.wait_ms() == 0);
}

TEST_CASE("debounce never asks for a wait longer than the maximum delay") {
  ManualClock clock(0);
  Debouncer debouncer(clock, {5000, 2000});  // a quiet window longer than the cap
  debouncer.add(change("content/a.md"));
  CHECK(debouncer.wait_ms() == 2000);
  clock.advance_ms(-1);
  CHECK(debouncer.wait_ms() <= 2000);
}
