#include "watch/watch_loop.h"

#include <climits>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace isrgen;
using namespace isrgen::watch;

namespace {

constexpr int64_t kStart = 1'000'000;

// A Watcher whose events happen at scripted times on a ManualClock: wait()
// moves the clock to the next event (or to its timeout) as if it had blocked
// that long. With the script used up and no timeout it stops, so a test
// cannot hang.
class ScriptedWatcher final : public Watcher {
 public:
  explicit ScriptedWatcher(ManualClock& clock) : Watcher(StopSignal::create().value()), clock_(clock) {}

  // `path` changes `at_ms` after the start.
  void change_at(int64_t at_ms, const std::string& path) { script_[kStart + at_ms].paths.insert(path); }
  void stop_at(int64_t at_ms) { stop_at_ms_ = kStart + at_ms; }

  Result<ChangeSet> wait(int timeout_ms) override {
    timeouts.push_back(timeout_ms);
    if (stopped()) return ChangeSet{};
    int64_t now = clock_.now_unix_ms();
    int64_t deadline = timeout_ms < 0 ? INT64_MAX : now + timeout_ms;
    int64_t next = script_.empty() ? INT64_MAX : std::max(script_.begin()->first, now);
    if (stop_at_ms_ <= std::min(next, deadline)) {
      clock_.advance_ms(std::max<int64_t>(stop_at_ms_ - now, 0));
      stop();
      return ChangeSet{};
    }
    if (next <= deadline) {
      clock_.advance_ms(next - now);
      ChangeSet changes = script_.begin()->second;
      script_.erase(script_.begin());
      return changes;
    }
    if (deadline == INT64_MAX) {
      stop();
      return ChangeSet{};
    }
    clock_.advance_ms(timeout_ms);
    return ChangeSet{};
  }

  std::vector<int> timeouts;

 private:
  ManualClock& clock_;
  std::map<int64_t, ChangeSet> script_;  // absolute time -> what changes then
  int64_t stop_at_ms_ = INT64_MAX;
};

struct Build {
  int64_t at_ms;  // after the start
  BuildTrigger trigger;
};

// A loop over a scripted watcher that records its builds.
struct Harness {
  ManualClock clock{kStart};
  ScriptedWatcher watcher{clock};
  std::vector<Build> builds;
  std::function<void(const BuildTrigger&)> on_build = [](const BuildTrigger&) {};
  std::function<std::optional<int64_t>()> next_refresh;

  Status run() {
    WatchHooks hooks;
    hooks.build = [this](const BuildTrigger& trigger) {
      builds.push_back({clock.now_unix_ms() - kStart, trigger});
      on_build(trigger);
    };
    if (next_refresh) hooks.next_refresh_at_ms = next_refresh;
    WatchTimes times;
    times.debounce = {150, 2000};
    times.refresh_retry_ms = 60'000;
    return WatchLoop(watcher, clock, times, hooks).run();
  }
};

}  // namespace

TEST_CASE("watch builds once at start, then waits for changes without a timeout") {
  Harness harness;
  REQUIRE(harness.run().ok());
  REQUIRE(harness.builds.size() == 1);
  CHECK(harness.builds[0].trigger.initial);
  CHECK(harness.builds[0].trigger.changes.empty());
  CHECK(harness.watcher.timeouts == std::vector<int>{-1});
}

TEST_CASE("watch coalesces a burst of changes into one build after the quiet window") {
  Harness harness;
  // An atomic save: temp file, rename over the page, then a second page.
  harness.watcher.change_at(1000, "content/pages/acme/a.md");
  harness.watcher.change_at(1050, "content/pages/acme/b.md");
  harness.watcher.change_at(1100, "content/pages/acme/a.md");
  REQUIRE(harness.run().ok());
  REQUIRE(harness.builds.size() == 2);
  CHECK(harness.builds[1].at_ms == 1250);
  CHECK_FALSE(harness.builds[1].trigger.initial);
  CHECK_FALSE(harness.builds[1].trigger.refresh);
  CHECK(harness.builds[1].trigger.changes.paths ==
        std::set<std::string>{"content/pages/acme/a.md", "content/pages/acme/b.md"});
}

TEST_CASE("watch builds two bursts apart as two builds") {
  Harness harness;
  harness.watcher.change_at(1000, "content/pages/acme/a.md");
  harness.watcher.change_at(5000, "templates/layouts/page.mustache");
  REQUIRE(harness.run().ok());
  REQUIRE(harness.builds.size() == 3);
  CHECK(harness.builds[1].at_ms == 1150);
  CHECK(harness.builds[2].at_ms == 5150);
  CHECK(harness.builds[2].trigger.changes.paths == std::set<std::string>{"templates/layouts/page.mustache"});
}

TEST_CASE("changes during a build wait for the next build") {
  Harness harness;
  harness.watcher.change_at(1000, "content/pages/acme/a.md");
  // The second build takes 400 ms; b.md is saved while it runs.
  harness.watcher.change_at(1300, "content/pages/acme/b.md");
  harness.on_build = [&harness](const BuildTrigger&) {
    if (harness.builds.size() == 2) harness.clock.advance_ms(400);
  };
  REQUIRE(harness.run().ok());
  REQUIRE(harness.builds.size() == 3);
  CHECK(harness.builds[1].trigger.changes.paths == std::set<std::string>{"content/pages/acme/a.md"});
  CHECK(harness.builds[2].trigger.changes.paths == std::set<std::string>{"content/pages/acme/b.md"});
  CHECK(harness.builds[2].at_ms == 1550 + 150);  // seen when the build ended, then a quiet window
}

TEST_CASE("a remote source going stale triggers a build at its time") {
  Harness harness;
  std::vector<std::optional<int64_t>> due = {kStart + 10'000, std::nullopt};
  harness.next_refresh = [&] {
    auto next = due.front();
    if (due.size() > 1) due.erase(due.begin());
    return next;
  };
  REQUIRE(harness.run().ok());
  REQUIRE(harness.builds.size() == 2);
  CHECK(harness.builds[1].at_ms == 10'000);
  CHECK(harness.builds[1].trigger.refresh);
  CHECK(harness.builds[1].trigger.changes.empty());
  CHECK(harness.watcher.timeouts == std::vector<int>{10'000, -1});
}

TEST_CASE("the wait ends at whichever comes first: the quiet window or the refresh") {
  Harness harness;
  harness.next_refresh = [] { return std::optional<int64_t>(kStart + 1200); };
  harness.watcher.change_at(1000, "content/pages/acme/a.md");
  harness.watcher.stop_at(1120);
  REQUIRE(harness.run().ok());
  REQUIRE(harness.builds.size() == 1);  // stopped before either was due
  CHECK(harness.watcher.timeouts == std::vector<int>{1200, 150});
}

TEST_CASE("a refresh takes the pending changes along") {
  Harness harness;
  std::vector<std::optional<int64_t>> due = {kStart + 1100, std::nullopt};
  harness.next_refresh = [&] {
    auto next = due.front();
    if (due.size() > 1) due.erase(due.begin());
    return next;
  };
  harness.watcher.change_at(1000, "content/pages/acme/a.md");
  REQUIRE(harness.run().ok());
  REQUIRE(harness.builds.size() == 2);  // no second build for a.md: the refresh built it
  CHECK(harness.builds[1].at_ms == 1100);
  CHECK(harness.builds[1].trigger.refresh);
  CHECK(harness.builds[1].trigger.changes.paths == std::set<std::string>{"content/pages/acme/a.md"});
  CHECK(harness.watcher.timeouts == std::vector<int>{1100, 100, -1});
}

TEST_CASE("a source still stale after its build is retried later, not in a tight loop") {
  Harness harness;
  harness.next_refresh = [] { return std::optional<int64_t>(kStart); };  // the origin stays down
  harness.watcher.stop_at(130'000);
  REQUIRE(harness.run().ok());
  REQUIRE(harness.builds.size() == 3);
  CHECK(harness.builds[1].at_ms == 60'000);
  CHECK(harness.builds[2].at_ms == 120'000);
  CHECK(harness.builds[2].trigger.refresh);
}

TEST_CASE("a stop during a build ends the loop after it") {
  Harness harness;
  harness.watcher.change_at(1000, "content/pages/acme/a.md");
  harness.watcher.change_at(1400, "content/pages/acme/b.md");  // saved during the build
  harness.on_build = [&harness](const BuildTrigger&) {
    if (harness.builds.size() == 2) {
      harness.clock.advance_ms(500);
      harness.watcher.stop();  // SIGTERM while rendering
    }
  };
  REQUIRE(harness.run().ok());
  REQUIRE(harness.builds.size() == 2);
}

TEST_CASE("a stop while idle ends the loop without a build") {
  Harness harness;
  harness.watcher.stop_at(5000);
  REQUIRE(harness.run().ok());
  CHECK(harness.builds.size() == 1);
  CHECK(harness.watcher.stopped());
}

namespace {

class FailingWatcher final : public Watcher {
 public:
  FailingWatcher() : Watcher(StopSignal::create().value()) {}
  Result<ChangeSet> wait(int) override { return make_error("", 0, "inotify read failed: Input/output error"); }
};

}  // namespace

TEST_CASE("a watcher that fails ends the loop with its error") {
  ManualClock clock(kStart);
  FailingWatcher watcher;
  int builds = 0;
  WatchHooks hooks;
  hooks.build = [&builds](const BuildTrigger&) { return ++builds > 0; };
  Status status = WatchLoop(watcher, clock, WatchTimes{}, hooks).run();
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message == "inotify read failed: Input/output error");
  CHECK(builds == 1);
}
