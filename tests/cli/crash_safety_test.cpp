// Crash safety of builds (ARCHITECTURE §2: a file is never visible
// half-written; a build that dies leaves nothing the next build cannot repair).
//
// With ISRGEN_FAULT_KILL_AT=STEP:N (util/crash_point.h), isrgen SIGKILLs
// itself at its N-th step of a kind: an atomic write after the temporary file
// is written and before it is renamed into place ("write"), just after an
// output is deleted ("delete"), just before the state index commits
// ("commit"), and after the commit before the temporary folder is removed
// ("committed"). Builds are killed at many N: 1, 2, 3, 5, 8, ... until N passes
// the number of steps (the build then ends normally), during the first build
// of a site, and after random edits at random N, sometimes twice in a row.
// After each kill every output file must be whole: either its bytes before the
// build or those a fresh full build of the new sources writes
// (tests/reference_build.h; metadata compared without `generated_at`), and no
// file that exists both before and after the build may be missing. The next
// normal build must then write exactly the fresh full build's output and leave
// `.isrgen-tmp` empty or gone.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <csignal>

#include <catch2/catch.hpp>

#include "output_tree.h"
#include "random_site.h"
#include "reference_build.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

constexpr int kKilled = 128 + SIGKILL;  // run_isrgen's exit code for a process killed by SIGKILL

// A site's output before a build and what a fresh full build of its current
// sources writes.
struct Expectation {
  OutputTree before;
  OutputTree target;
  size_t files_to_write = 0;  // target files that are missing or different before the build
};

Expectation expect(const fs::path& work, const fs::path& fresh) {
  Expectation expectation;
  expectation.before = OutputTree::read(work / "out");
  ReferenceBuild full = fresh_full_build(work, fresh);
  REQUIRE(full.error == "");
  expectation.target = std::move(full.out);
  for (const auto& [path, bytes] : expectation.target.entries) {
    auto old = expectation.before.entries.find(path);
    if (old == expectation.before.entries.end() || comparable(path, old->second) != comparable(path, bytes))
      expectation.files_to_write += path.ends_with("/") ? 0 : 1;
  }
  return expectation;
}

bool holds_version(const OutputTree& tree, const std::string& path, const std::string& seen) {
  auto found = tree.entries.find(path);
  return found != tree.entries.end() && comparable(path, found->second) == seen;
}

// Runs a build killed at its `kill_at`-th step of kind `step` and checks the
// output it leaves; true when the build was killed, false when it had fewer
// such steps and ended normally.
bool killed_build(const fs::path& work, const std::string& step, long kill_at, const Expectation& expectation) {
  SiteBuild build = build_site(work, {"ISRGEN_FAULT_KILL_AT=" + step + ":" + std::to_string(kill_at)});
  INFO("kill at " << step << " " << kill_at << "\n" << build.result.err);
  OutputTree now = OutputTree::read(work / "out");
  if (build.result.exit_code != kKilled) {
    CHECK(build.result.exit_code == 0);
    CHECK(build.report["failed"] == json::array());
    CHECK(describe_difference(now, expectation.target, "killed-too-late build", "full build") == "");
    return false;
  }
  for (const auto& [path, bytes] : now.entries) {
    if (path.ends_with("/")) continue;
    std::string seen = comparable(path, bytes);
    INFO(path << " holds:\n" << bytes.substr(0, 400));
    CHECK((holds_version(expectation.before, path, seen) || holds_version(expectation.target, path, seen)));
  }
  for (const auto& [path, bytes] : expectation.before.entries) {
    if (path.ends_with("/") || !expectation.target.has(path)) continue;
    INFO(path << " exists before and after the build");
    CHECK(now.has(path));
  }
  return true;
}

// A normal build after killed ones writes the full build's output.
void check_recovery(const fs::path& work, const Expectation& expectation) {
  SiteBuild build = build_site(work);
  INFO("build after the killed one\n" << build.result.err);
  CHECK(build.result.exit_code == 0);
  CHECK(build.report["failed"] == json::array());
  CHECK(describe_difference(OutputTree::read(work / "out"), expectation.target, "recovered", "full build") == "");
  CHECK(temp_folder_is_clear(work / "out"));
}

// Every row of the state index at `work`, one line per row: what a build
// recorded, the log of builds included.
std::string state_rows(const fs::path& work) {
  SQLite::Database db((work / ".isrgen" / "state.db").string(), SQLite::OPEN_READWRITE);
  std::vector<std::string> rows;
  for (const char* sql :
       {"SELECT 'page', page, lang, output, output_hash, generated_at, output_signature, reasons, tags, inputs "
        "FROM pages",
        "SELECT 'tagged', tags.tag, pages.page, pages.lang FROM page_tags JOIN tags ON tags.id = page_tags.tag_id "
        "JOIN pages ON pages.id = page_tags.page_id",
        "SELECT 'input', path, signature, hash FROM inputs", "SELECT 'error', * FROM page_errors",
        "SELECT 'build', id, kind FROM builds"}) {
    SQLite::Statement query(db, sql);
    while (query.executeStep()) {
      std::string row;
      for (int column = 0; column < query.getColumnCount(); ++column) row += query.getColumn(column).getString() + "\t";
      rows.push_back(row);
    }
  }
  std::sort(rows.begin(), rows.end());
  std::string text;
  for (const std::string& row : rows) text += row + "\n";
  return text;
}

}  // namespace

TEST_CASE("a build killed while its pages render leaves the state index as the last build recorded it",
          "[incremental]") {
  RandomSite site(515);
  ScratchDir work, fresh;
  site.sync(work.path());
  REQUIRE(build_site(work.path()).result.exit_code == 0);
  const std::string recorded = state_rows(work.path());
  REQUIRE(recorded.find("page\t") != std::string::npos);

  // Every page renders again; pages are recorded as they render, and the kill
  // comes half-way through their writes.
  std::string edits = site.touch_every_page();
  site.sync(work.path());
  INFO("after: " << edits);
  Expectation expectation = expect(work.path(), fresh.path());
  REQUIRE(expectation.files_to_write >= 8);
  CHECK(killed_build(work.path(), "write", static_cast<long>(expectation.files_to_write / 2), expectation));
  CHECK(state_rows(work.path()) == recorded);
  check_recovery(work.path(), expectation);
  CHECK(state_rows(work.path()) != recorded);
}

TEST_CASE("a build killed at its n-th write leaves whole files and the next build repairs the output",
          "[incremental]") {
  RandomSite site(2024);
  ScratchDir work, fresh;
  site.sync(work.path());
  REQUIRE(build_site(work.path()).result.exit_code == 0);

  int killed = 0;
  bool ended_normally = false;
  for (long kill_at : {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377}) {
    // Every page changes, plus one random edit, so the build has many writes.
    std::string edits = site.touch_every_page() + "; " + site.random_edit();
    site.sync(work.path());
    INFO("kill at write " << kill_at << " after: " << edits);
    Expectation expectation = expect(work.path(), fresh.path());
    bool was_killed = killed_build(work.path(), "write", kill_at, expectation);
    check_recovery(work.path(), expectation);
    if (!was_killed) {
      ended_normally = true;
      break;
    }
    ++killed;
  }
  CHECK(killed >= 5);
  CHECK(ended_normally);
}

TEST_CASE("a first build killed half-way leaves whole files and the next build completes it", "[incremental]") {
  for (long kill_at : {1, 4, 9, 16}) {
    INFO("kill at write " << kill_at);
    RandomSite site(kill_at);
    ScratchDir work, fresh;
    site.sync(work.path());
    Expectation expectation = expect(work.path(), fresh.path());
    CHECK(killed_build(work.path(), "write", kill_at, expectation));
    // Every write of a first build creates a file, unnamed until written
    // whole: a killed one leaves nothing behind.
    CHECK(temp_folder_is_clear(work.path() / "out"));
    check_recovery(work.path(), expectation);
  }
}

TEST_CASE("builds killed at random writes after random edits leave whole files", "[incremental]") {
  RandomSite site(77);
  ScratchDir work, fresh;
  site.sync(work.path());
  REQUIRE(build_site(work.path()).result.exit_code == 0);

  int killed = 0;
  for (int round = 1; round <= 30; ++round) {
    std::string edits;
    for (size_t count = 1 + site.dice().below(4); count > 0; --count) edits += "\n  " + site.random_edit();
    site.sync(work.path());
    Expectation expectation = expect(work.path(), fresh.path());
    // Up to two writes past the files that change, so some builds end normally.
    long kill_at = 1 + static_cast<long>(site.dice().below(expectation.files_to_write + 2));
    INFO("round " << round << ", kill at write " << kill_at << ", edits:" << edits);
    if (killed_build(work.path(), "write", kill_at, expectation)) {
      ++killed;
      // Sometimes the next build dies too, at another write.
      if (site.dice().chance(35))
        killed_build(work.path(), "write", 1 + static_cast<long>(site.dice().below(expectation.files_to_write + 2)),
                     expectation);
    }
    check_recovery(work.path(), expectation);
  }
  CHECK(killed >= 10);
}

TEST_CASE("a build killed at each output delete, at its commit or after it converges to a full build",
          "[incremental]") {
  RandomSite site(4242);
  ScratchDir work, fresh;
  site.sync(work.path());
  REQUIRE(build_site(work.path()).result.exit_code == 0);

  int killed_at_delete = 0;
  for (long kill_at = 1;; ++kill_at) {
    // Pages go (each takes its HTML and metadata), others change, and a
    // random edit may delete or move more.
    std::string edits = site.delete_pages(2) + "; " + site.touch_every_page() + "; " + site.random_edit();
    site.sync(work.path());
    INFO("kill at delete " << kill_at << " after: " << edits);
    Expectation expectation = expect(work.path(), fresh.path());
    bool was_killed = killed_build(work.path(), "delete", kill_at, expectation);
    check_recovery(work.path(), expectation);
    if (!was_killed) break;
    ++killed_at_delete;
  }
  CHECK(killed_at_delete >= 2);

  for (const char* step : {"commit", "committed"}) {
    std::string edits = site.touch_every_page() + "; " + site.random_edit();
    site.sync(work.path());
    INFO("kill at " << step << " after: " << edits);
    Expectation expectation = expect(work.path(), fresh.path());
    CHECK(killed_build(work.path(), step, 1, expectation));
    check_recovery(work.path(), expectation);
  }
}
