#include "watch/file_watcher.h"

#include <fcntl.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <future>
#include <memory>
#include <thread>

#include <catch2/catch.hpp>

#include "test_support.h"
#include "watch/polling_watcher.h"

using namespace isrgen::watch;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;
namespace fs = std::filesystem;

namespace {

enum class Kind { kInotify, kPolling };

std::unique_ptr<Watcher> make_watcher(Kind kind, const ScratchDir& site) {
  // The output inside a watched folder, as `--out static/build` would put it.
  WatchTarget target{site.path(), {"content", "templates", "static"}, "static/build"};
  if (kind == Kind::kPolling) {
    auto watcher = PollingWatcher::open(target, 20);
    REQUIRE(watcher.ok());
    return std::move(watcher).value();
  }
  auto watcher = FileWatcher::open(target);
  REQUIRE(watcher.ok());
  return std::move(watcher).value();
}

// A small site with one file in each watched folder.
void write_site(const ScratchDir& site) {
  write_text(site / "content/pages/acme/summer.md", "---\ntitle: Summer\n---\n");
  write_text(site / "templates/layouts/page.mustache", "{{{content}}}");
  write_text(site / "static/acme/logo.svg", "<svg/>");
}

// Waits (returning as soon as events arrive) until every expected path was
// reported, or a wait times out after 5 s of silence.
ChangeSet collect(Watcher& watcher, const std::set<std::string>& expected) {
  ChangeSet seen;
  while (!std::includes(seen.paths.begin(), seen.paths.end(), expected.begin(), expected.end())) {
    auto batch = watcher.wait(5000);
    REQUIRE(batch.ok());
    if (batch.value().empty()) break;
    seen.merge(batch.value());
  }
  return seen;
}

bool contains(const ChangeSet& changes, const std::string& path) { return changes.paths.contains(path); }

// Runs wait(-1) on a thread of its own and calls stop() from this one, before
// or (most likely) while the other waits. True when the wait returned empty
// within a bound only a broken stop reaches; a wait stop() failed to end is
// ended by a file change, so a failure fails instead of hanging.
bool stop_ends_wait(Watcher& watcher, const ScratchDir& site, bool stop_first) {
  if (stop_first) watcher.stop();
  std::promise<void> waiting;
  std::promise<ChangeSet> returned;
  std::thread waiter([&] {
    waiting.set_value();
    auto batch = watcher.wait(-1);
    returned.set_value(batch.ok() ? batch.value() : ChangeSet{{"error"}, true});
  });
  waiting.get_future().wait();
  if (!stop_first) watcher.stop();
  auto result = returned.get_future();
  bool in_time = result.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  if (!in_time) write_text(site / "content/unblock.md", "the watcher did not stop");
  waiter.join();
  return in_time && result.get().empty();
}

}  // namespace

TEST_CASE("watch reports edits, new nested folders, atomic saves, renames and deletes") {
  Kind kind = GENERATE(Kind::kInotify, Kind::kPolling);
  INFO((kind == Kind::kInotify ? "inotify" : "polling"));
  ScratchDir site;
  write_site(site);
  auto watcher = make_watcher(kind, site);

  SECTION("an edited file") {
    write_text(site / "templates/layouts/page.mustache", "<main>{{{content}}}</main>");
    auto seen = collect(*watcher, {"templates/layouts/page.mustache"});
    CHECK(seen.paths == std::set<std::string>{"templates/layouts/page.mustache"});
  }
  SECTION("a file created in new nested folders, before they could be watched") {
    write_text(site / "content/pages/acme/jobs/2026/spring.md", "x");
    auto seen = collect(*watcher, {"content/pages/acme/jobs/2026/spring.md"});
    CHECK(contains(seen, "content/pages/acme/jobs/2026/spring.md"));
    // The new folders are watched now: a later edit inside them arrives too.
    write_text(site / "content/pages/acme/jobs/2026/autumn.md", "y");
    CHECK(contains(collect(*watcher, {"content/pages/acme/jobs/2026/autumn.md"}),
                   "content/pages/acme/jobs/2026/autumn.md"));
  }
  SECTION("an atomic save reports the target, never the temp file or vim's probe") {
    write_text(site / "content/pages/acme/4913", "");
    fs::remove(site / "content/pages/acme/4913");
    write_text(site / "content/pages/acme/.summer.md.swp", "swap");
    write_text(site / "content/pages/acme/summer.md.tmp", "---\ntitle: Hot summer\n---\n");
    fs::rename(site / "content/pages/acme/summer.md.tmp", site / "content/pages/acme/summer.md");
    auto seen = collect(*watcher, {"content/pages/acme/summer.md"});
    CHECK(seen.paths == std::set<std::string>{"content/pages/acme/summer.md"});
  }
  SECTION("a rename reports the old and the new path") {
    fs::rename(site / "content/pages/acme/summer.md", site / "content/pages/acme/winter.md");
    auto seen = collect(*watcher, {"content/pages/acme/summer.md", "content/pages/acme/winter.md"});
    CHECK(seen.paths == std::set<std::string>{"content/pages/acme/summer.md", "content/pages/acme/winter.md"});
  }
  SECTION("deleted files and folders") {
    write_text(site / "static/acme/img/hero.jpg", "jpg");
    collect(*watcher, {"static/acme/img/hero.jpg"});
    fs::remove(site / "static/acme/logo.svg");
    fs::remove_all(site / "static/acme/img");
    auto seen = collect(*watcher, {"static/acme/logo.svg", "static/acme/img/hero.jpg"});
    CHECK(contains(seen, "static/acme/logo.svg"));
    CHECK(contains(seen, "static/acme/img/hero.jpg"));
    if (kind == Kind::kInotify) CHECK(contains(seen, "static/acme/img"));
  }
  SECTION("the output and state folders are never reported") {
    write_text(site / "static/build/acme/index.html", "<html>");
    write_text(site / "static/build/index.html", "<html>");
    write_text(site / "content/build/acme.md", "not the output: the output folder is site-relative");
    auto seen = collect(*watcher, {"content/build/acme.md"});
    CHECK(seen.paths == std::set<std::string>{"content/build/acme.md"});
  }
  SECTION("no change: the wait times out empty") {
    auto batch = watcher->wait(50);
    REQUIRE(batch.ok());
    CHECK(batch.value().empty());
  }
}

TEST_CASE("watch sees a file replaced by one of the same size and time") {
  Kind kind = GENERATE(Kind::kInotify, Kind::kPolling);
  INFO((kind == Kind::kInotify ? "inotify" : "polling"));
  ScratchDir site;
  write_site(site);
  auto watcher = make_watcher(kind, site);
  // Only the inode tells them apart: a restore from a backup, a checkout.
  write_text(site / "content/pages/acme/copy.tmp", "---\ntitle: Summer\n---\n");
  fs::last_write_time(site / "content/pages/acme/copy.tmp", fs::last_write_time(site / "content/pages/acme/summer.md"));
  fs::rename(site / "content/pages/acme/copy.tmp", site / "content/pages/acme/summer.md");
  auto seen = collect(*watcher, {"content/pages/acme/summer.md"});
  CHECK(seen.paths == std::set<std::string>{"content/pages/acme/summer.md"});
}

TEST_CASE("watch ends a wait without limit when another thread calls stop") {
  Kind kind = GENERATE(Kind::kInotify, Kind::kPolling);
  INFO((kind == Kind::kInotify ? "inotify" : "polling"));
  ScratchDir site;
  write_site(site);
  auto watcher = make_watcher(kind, site);
  CHECK_FALSE(watcher->stopped());
  SECTION("while it waits") {
    CHECK(stop_ends_wait(*watcher, site, false));
    CHECK(watcher->stopped());
    // The stop lasts: later waits end at once too.
    CHECK(stop_ends_wait(*watcher, site, false));
  }
  SECTION("before it waits: the stop is not lost") {
    CHECK(stop_ends_wait(*watcher, site, true));
  }
  SECTION("with changes pending: the stop wins") {
    write_text(site / "content/pages/acme/summer.md", "edited");
    CHECK(stop_ends_wait(*watcher, site, true));
  }
}

TEST_CASE("watch starts watching a root folder created after it started") {
  Kind kind = GENERATE(Kind::kInotify, Kind::kPolling);
  INFO((kind == Kind::kInotify ? "inotify" : "polling"));
  ScratchDir site;
  write_text(site / "content/pages/acme/summer.md", "---\ntitle: Summer\n---\n");
  auto watcher = make_watcher(kind, site);  // no templates/ nor static/ yet
  write_text(site / "static/acme/logo.svg", "<svg/>");
  auto seen = collect(*watcher, {"static/acme/logo.svg"});
  CHECK(seen.paths == std::set<std::string>{"static/acme/logo.svg"});
  // Watched now: later edits inside it arrive too.
  write_text(site / "static/acme/logo.svg", "<svg></svg>");
  seen = collect(*watcher, {"static/acme/logo.svg"});
  CHECK(seen.paths == std::set<std::string>{"static/acme/logo.svg"});
  // A folder that is no root comes and goes unreported.
  write_text(site / "drafts/idea.md", "x");
  write_text(site / "templates/layouts/page.mustache", "{{{content}}}");
  seen = collect(*watcher, {"templates/layouts/page.mustache"});
  CHECK(seen.paths == std::set<std::string>{"templates/layouts/page.mustache"});
}

TEST_CASE("watch follows a root folder deleted and created again") {
  Kind kind = GENERATE(Kind::kInotify, Kind::kPolling);
  INFO((kind == Kind::kInotify ? "inotify" : "polling"));
  ScratchDir site;
  write_site(site);
  auto watcher = make_watcher(kind, site);
  fs::remove_all(site / "static");
  auto seen = collect(*watcher, {"static/acme/logo.svg"});
  CHECK(contains(seen, "static/acme/logo.svg"));
  write_text(site / "static/acme/logo.svg", "<svg>again</svg>");
  seen = collect(*watcher, {"static/acme/logo.svg"});
  CHECK(seen.paths == std::set<std::string>{"static/acme/logo.svg"});
  write_text(site / "static/acme/logo.svg", "<svg>edited</svg>");
  seen = collect(*watcher, {"static/acme/logo.svg"});
  CHECK(seen.paths == std::set<std::string>{"static/acme/logo.svg"});
}

TEST_CASE("watch follows a root folder swapped by renames, as a checkout may") {
  Kind kind = GENERATE(Kind::kInotify, Kind::kPolling);
  INFO((kind == Kind::kInotify ? "inotify" : "polling"));
  ScratchDir site;
  write_site(site);
  write_text(site / "incoming/acme/next.svg", "<svg>next</svg>");
  auto watcher = make_watcher(kind, site);
  fs::rename(site / "static", site / "static-old");
  // inotify names the folder that went, polling the files it no longer finds.
  std::string gone = kind == Kind::kInotify ? "static" : "static/acme/logo.svg";
  auto seen = collect(*watcher, {gone});
  CHECK(seen.paths == std::set<std::string>{gone});
  fs::rename(site / "incoming", site / "static");
  seen = collect(*watcher, {"static/acme/next.svg"});
  CHECK(seen.paths == std::set<std::string>{"static/acme/next.svg"});
  // The folder moved away is no longer watched under its old name.
  write_text(site / "static-old/acme/logo.svg", "<svg>stale</svg>");
  write_text(site / "static/acme/next.svg", "<svg>edited</svg>");
  seen = collect(*watcher, {"static/acme/next.svg"});
  CHECK(seen.paths == std::set<std::string>{"static/acme/next.svg"});
}

TEST_CASE("watch follows a folder moved within the tree") {
  ScratchDir site;
  write_site(site);
  auto watcher = make_watcher(Kind::kInotify, site);
  fs::rename(site / "content/pages/acme", site / "content/pages/acme-talent");
  auto seen = collect(*watcher, {"content/pages/acme", "content/pages/acme-talent/summer.md"});
  CHECK(seen.paths == std::set<std::string>{"content/pages/acme", "content/pages/acme-talent/summer.md"});
  // Events inside the moved folder carry its new name.
  write_text(site / "content/pages/acme-talent/summer.md", "moved and edited");
  seen = collect(*watcher, {"content/pages/acme-talent/summer.md"});
  CHECK(seen.paths == std::set<std::string>{"content/pages/acme-talent/summer.md"});
}

TEST_CASE("watch reports a queue overflow event as rescan everything, and keeps watching") {
  ScratchDir site;
  write_site(site);
  auto opened = FileWatcher::open({site.path(), {"content", "templates", "static"}, "static/build"});
  REQUIRE(opened.ok());
  FileWatcher& watcher = *opened.value();
  // A folder whose creation the overflow would have hidden.
  write_text(site / "content/pages/hidden/a.md", "a");
  // What the kernel reads out when its queue overflowed: wd -1, no name.
  inotify_event overflow{};
  overflow.wd = -1;
  overflow.mask = IN_Q_OVERFLOW;
  alignas(inotify_event) char events[2 * sizeof(inotify_event)];
  std::memcpy(events, &overflow, sizeof overflow);
  std::memcpy(events + sizeof overflow, &overflow, sizeof overflow);
  ChangeSet changes;
  watcher.handle_events(std::string_view(events, sizeof events), changes);
  CHECK(changes.rescan_all);
  CHECK(changes.paths.empty());
  // A cut-off event is left alone.
  ChangeSet cut;
  watcher.handle_events(std::string_view(events, sizeof(inotify_event) - 1), cut);
  CHECK(cut.empty());
  // Still watching, the folder created meanwhile included.
  write_text(site / "content/pages/hidden/b.md", "b");
  write_text(site / "content/c.md", "c");
  auto seen = collect(watcher, {"content/pages/hidden/b.md", "content/c.md"});
  CHECK(contains(seen, "content/pages/hidden/b.md"));
  CHECK(contains(seen, "content/c.md"));
  CHECK_FALSE(seen.rescan_all);  // only the synthetic overflow said so
}

TEST_CASE("watch reports an overflowing event queue as rescan everything") {
  std::ifstream limit_file("/proc/sys/fs/inotify/max_queued_events");
  int limit = 0;
  limit_file >> limit;
  if (limit <= 0 || limit > 100'000) {
    WARN("inotify queue limit " << limit << " too large to overflow cheaply");
    return;
  }
  ScratchDir site;
  write_site(site);
  auto watcher = make_watcher(Kind::kInotify, site);
  // Alternating two files defeats the kernel's merging of identical events.
  std::string files[] = {(site / "content/a.md").string(), (site / "content/b.md").string()};
  int failed_opens = 0;
  for (int i = 0; i < limit + 10; ++i) {
    int fd = ::open(files[i % 2].c_str(), O_WRONLY | O_CREAT, 0644);
    if (fd < 0) {
      ++failed_opens;
      continue;
    }
    ::close(fd);
  }
  REQUIRE(failed_opens == 0);
  auto batch = watcher->wait(5000);
  REQUIRE(batch.ok());
  CHECK(batch.value().rescan_all);
  // Still watching afterwards.
  write_text(site / "content/c.md", "c");
  CHECK(contains(collect(*watcher, {"content/c.md"}), "content/c.md"));
}
