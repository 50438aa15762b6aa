// `isrgen watch` as users run it: started on a fixture site, it builds at
// once, then once per save, whatever way an editor saves, and follows
// renames, deletes and new folders. The --json report of each build (one per
// line) says exactly what it rendered; the tests wait for those lines, never
// for time. Where time must pass (a remote source going stale), the watch runs
// in-process on a ManualClock instead.
#include <signal.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/commands.h"
#include "fixture_site.h"
#include "isrgen_process.h"
#include "remote_site.h"
#include "util/clock.h"
#include "watch/watcher.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

const std::string kBerlin = "content/pages/acme/jobs/berlin.md";

// `isrgen watch --json` on a site, and its reports line by line.
struct Watching {
  IsrgenProcess process;

  explicit Watching(const FixtureSite& site, const std::vector<std::string>& extra = {},
                    const std::vector<std::string>& env = {"NO_COLOR=1"})
      : process(arguments(site, extra), env) {}

  static std::vector<std::string> arguments(const FixtureSite& site, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"watch", "--site", site.root().string(), "--json", "--jobs", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // The report of the next build.
  json next(const std::string& command = "build") {
    auto line = process.wait_for_output("{\"command\":\"" + command + "\"");
    INFO(process.err());
    REQUIRE(line);
    return json::parse(*line);
  }

  void stop() {
    process.signal(SIGTERM);
    auto status = process.wait_exit();
    INFO(process.err());
    REQUIRE(status);
    CHECK(*status == 0);
  }
};

std::set<std::string> changed_paths(const json& report) { return report["changed"].get<std::set<std::string>>(); }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A watcher that never sees a file change. Its first timed wait runs
// `before_time_passes`, then lets the whole timeout pass on the clock at once,
// as if it had blocked that long; the next wait stops the watch.
class IdleWatcher final : public isrgen::watch::Watcher {
 public:
  IdleWatcher(isrgen::ManualClock& clock, std::function<void()> before_time_passes)
      : Watcher(isrgen::StopSignal::create().value()),
        clock_(clock),
        before_time_passes_(std::move(before_time_passes)) {}

  isrgen::Result<isrgen::watch::ChangeSet> wait(int timeout_ms) override {
    if (timeout_ms < 0 || !before_time_passes_) {
      stop();
      return isrgen::watch::ChangeSet{};
    }
    std::exchange(before_time_passes_, nullptr)();
    clock_.advance_ms(timeout_ms);
    return isrgen::watch::ChangeSet{};
  }

 private:
  isrgen::ManualClock& clock_;
  std::function<void()> before_time_passes_;
};

// Sends what is written to std::cout to `into` while it lives.
class CoutTo {
 public:
  explicit CoutTo(std::ostream& into) : previous_(std::cout.rdbuf(into.rdbuf())) {}
  ~CoutTo() { std::cout.rdbuf(previous_); }
  CoutTo(const CoutTo&) = delete;
  CoutTo& operator=(const CoutTo&) = delete;

 private:
  std::streambuf* previous_;
};

// Edits the Berlin page's text and checks that the next build rendered that
// page alone, for that change alone, and published the new text.
json edit_berlin(const FixtureSite& site, Watching& watch, const std::string& text) {
  site.replace(kBerlin, "Jobs in Berlin.", text);
  json edited = watch.next();
  CHECK(changed_paths(edited) == std::set<std::string>{kBerlin});
  CHECK(rendered_variants(edited) == std::set<std::string>{"acme/jobs/berlin/en"});
  CHECK(contains(site.read_out("acme/jobs/berlin/index.html"), text));
  return edited;
}

}  // namespace

TEST_CASE("watch builds at start and then each edited page", "[watch]") {
  FixtureSite site;
  Watching watch(site);
  json initial = watch.next();
  CHECK(initial["trigger"] == "initial");
  CHECK(rendered_variants(initial).contains("acme/jobs/berlin/en"));

  CHECK(edit_berlin(site, watch, "Jobs in Berlin and Potsdam.")["trigger"] == "changes");
  watch.stop();
}

TEST_CASE("watch builds an atomic save once and ignores the editor's debris", "[watch]") {
  FixtureSite site;
  Watching watch(site);
  watch.next();

  // What vim does: probe the folder with 4913, keep a swap file, write the
  // new text beside the page and rename it over the page.
  site.write("content/pages/acme/jobs/4913", "");
  fs::remove(site / "content/pages/acme/jobs/4913");
  site.write("content/pages/acme/jobs/.berlin.md.swp", "swap");
  site.write("content/pages/acme/jobs/berlin.md.tmp", "---\ntitle: Berlin jobs\n---\nSaved atomically.\n");
  fs::rename(site / "content/pages/acme/jobs/berlin.md.tmp", site / kBerlin);
  site.write("content/pages/acme/jobs/berlin.md~", "backup");
  fs::remove(site / "content/pages/acme/jobs/.berlin.md.swp");

  json saved = watch.next();
  CHECK(changed_paths(saved) == std::set<std::string>{kBerlin});
  CHECK(rendered_variants(saved) == std::set<std::string>{"acme/jobs/berlin/en"});
  CHECK(contains(site.read_out("acme/jobs/berlin/index.html"), "Saved atomically."));

  // The next build is the next edit's: the save left nothing to build again.
  site.replace("content/pages/acme/all.md", "Everyone.", "Everyone here.");
  json next = watch.next();
  CHECK(changed_paths(next) == std::set<std::string>{"content/pages/acme/all.md"});
  CHECK(rendered_variants(next) == std::set<std::string>{"acme/all/en"});
  watch.stop();
}

TEST_CASE("watch sees sed -i as one change of the page, not of sed's temporary file", "[watch]") {
  FixtureSite site;
  Watching watch(site);
  watch.next();

  // sed writes "sedXXXXXX" beside the page and renames it over the page.
  std::string command = "sed -i 's/Jobs in Berlin\\./Jobs in Berlin, edited by sed./' '" + (site / kBerlin).string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  json edited = watch.next();
  CHECK(changed_paths(edited) == std::set<std::string>{kBerlin});
  CHECK(rendered_variants(edited) == std::set<std::string>{"acme/jobs/berlin/en"});
  CHECK(contains(site.read_out("acme/jobs/berlin/index.html"), "edited by sed."));
  watch.stop();
}

TEST_CASE("watch follows renames and deletes of pages", "[watch]") {
  FixtureSite site;
  Watching watch(site);
  watch.next();

  fs::rename(site / kBerlin, site / "content/pages/acme/jobs/munich.md");
  json renamed = watch.next();
  CHECK(renamed["deleted"] == json::array({"acme/jobs/berlin/index.html"}));
  CHECK(rendered_variants(renamed) == std::set<std::string>{"acme/jobs/munich/en"});
  CHECK_FALSE(fs::exists(site.out() / "acme/jobs/berlin/index.html"));
  CHECK(contains(site.read_out("acme/jobs/munich/index.html"), "Jobs in Berlin."));

  fs::remove(site / "content/pages/acme/all.md");
  json deleted = watch.next();
  CHECK(deleted["deleted"] == json::array({"acme/all/index.html"}));
  CHECK(deleted["rendered"].empty());
  CHECK_FALSE(fs::exists(site.out() / "acme/all/index.html"));
  watch.stop();
}

TEST_CASE("watch renders a page in a folder created while watching", "[watch]") {
  FixtureSite site;
  Watching watch(site);
  watch.next();

  site.write("content/pages/acme/events/2026/gala.md", "---\ntitle: Gala\n---\nThe gala.\n");
  // Creating the folders and writing the file are separate events: a slow
  // machine may see them in two builds, the first finding the file empty.
  json built = watch.next();
  if (!rendered_variants(built).contains("acme/events/2026/gala/en")) built = watch.next();
  CHECK(rendered_variants(built) == std::set<std::string>{"acme/events/2026/gala/en"});
  CHECK(contains(site.read_out("acme/events/2026/gala/index.html"), "The gala."));
  watch.stop();
}

TEST_CASE("a broken page prints its error and watching goes on until it is fixed", "[watch]") {
  FixtureSite site;
  Watching watch(site);
  watch.next();

  site.write(kBerlin, "---\ntitle: [unclosed\n---\nBroken.\n");
  json broken = watch.next();
  REQUIRE(broken["failed"].size() == 1);
  CHECK(broken["failed"][0]["page"] == "acme/jobs/berlin");
  std::string error = broken["failed"][0]["error"];
  CHECK(error.starts_with(kBerlin + ":"));
  CHECK(watch.process.wait_for_output(error));  // printed on stderr as well
  CHECK(contains(site.read_out("acme/jobs/berlin/index.html"), "Jobs in Berlin."));  // the last good output

  site.write(kBerlin, "---\ntitle: Berlin jobs\n---\nFixed.\n");
  json fixed = watch.next();
  CHECK(fixed["failed"].empty());
  CHECK(rendered_variants(fixed) == std::set<std::string>{"acme/jobs/berlin/en"});
  CHECK(contains(site.read_out("acme/jobs/berlin/index.html"), "Fixed."));
  watch.stop();
}

TEST_CASE("watch --poll sees an edit", "[watch]") {
  FixtureSite site;
  Watching watch(site, {"--poll"});
  watch.next();

  edit_berlin(site, watch, "Polled jobs.");
  watch.stop();
}

TEST_CASE("watch prints a line per build and stops cleanly on SIGTERM or SIGINT", "[watch]") {
  FixtureSite site;
  int signal_number = GENERATE(SIGTERM, SIGINT);
  IsrgenProcess watch({"watch", "--site", site.root().string()}, {"NO_COLOR=1"});
  auto initial = watch.wait_for_output("built: ");
  INFO(watch.err());
  REQUIRE(initial);
  CHECK(contains(*initial, " rendered, 0 deleted, 0 failed in "));
  CHECK(contains(*initial, "(initial build)"));

  site.replace(kBerlin, "Jobs in Berlin.", "Jobs.");
  site.replace("content/pages/acme/all.md", "Everyone.", "All of them.");
  auto edited = watch.wait_for_output("built: ");
  REQUIRE(edited);
  CHECK(contains(*edited, "(changed: content/pages/acme/"));

  watch.signal(signal_number);
  auto status = watch.wait_exit();
  REQUIRE(status);
  CHECK(*status == 0);
  CHECK(contains(watch.err(), "stopped watching"));
}

TEST_CASE("watch --sync sends each good build to the target", "[watch]") {
  FixtureSite site;
  ScratchDir target;
  // Builds at one fixed time: the edited page keeps its date, so the sitemap stays as it is.
  Watching watch(site, {"--sync", "--target", target.path().string()}, {"NO_COLOR=1", "ISRGEN_NOW=1790000000"});
  CHECK(watch.next()["failed"].empty());
  json first_sync = watch.next("sync");
  CHECK(first_sync["failed"].empty());
  CHECK(contains(read_text(target / "acme/jobs/berlin/index.html"), "Jobs in Berlin."));

  site.replace(kBerlin, "Jobs in Berlin.", "Synced jobs.");
  watch.next();
  json sync = watch.next("sync");
  REQUIRE(sync["uploaded"].size() == 1);
  CHECK(sync["uploaded"][0]["key"] == "acme/jobs/berlin/index.html");
  CHECK(contains(read_text(target / "acme/jobs/berlin/index.html"), "Synced jobs."));
  watch.stop();
}

// `isrgen watch` in-process with the watcher and clocks the command would
// open given by the test: the refresh of a stale source is decided on the
// injected clock, which moves exactly as far as the watch would have waited.
TEST_CASE("watch builds again when a remote source goes stale, without any file change", "[watch]") {
  JobsApi api;
  RemoteSite site(api.url());  // jobs: revalidate = 300
  isrgen::ManualClock clock(kNow * 1000);
  IdleWatcher watcher(clock, [&] {
    api.set_body(R"([{"id": "j-1", "title": "Lighting tech", "city": "berlin"}])");
  });
  isrgen::CommonFlags common;
  common.site = site.root().string();
  common.json = true;
  common.quiet = true;
  common.jobs = 2;
  std::ostringstream reports;
  {
    CoutTo capture(reports);
    CHECK(isrgen::watch_with(common, {}, watcher, clock, clock) == 0);
  }
  CHECK(clock.now_unix_ms() == kNow * 1000 + 300'000);  // the wait ended when jobs went stale, not later

  std::istringstream lines(reports.str());
  std::string line;
  std::vector<json> builds;
  while (std::getline(lines, line)) builds.push_back(json::parse(line));
  REQUIRE(builds.size() == 2);
  CHECK(builds[0]["trigger"] == "initial");
  REQUIRE(builds[0]["fetched"].size() == 1);
  json refreshed = builds[1];
  CHECK(refreshed["trigger"] == "refresh");
  CHECK(refreshed["changed"].empty());
  CHECK(refreshed["fetched"][0]["outcome"] == "updated");
  CHECK(rendered_variants(refreshed).contains("acme/berlin-jobs/en"));
  CHECK(contains(site.read_out("acme/berlin-jobs/index.html"), "Lighting tech"));
}
