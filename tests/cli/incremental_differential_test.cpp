// Differential test of incremental builds against fresh full builds
// (ARCHITECTURE §3: incremental output must equal a full build, byte for byte).
//
// A seeded random site (tests/random_site.h) evolves through many steps. Each
// step applies 1-4 random edits that keep the site valid, builds the evolving
// site (which keeps its state and output from the step before), then builds a
// copy of the same sources that has neither, and compares the two output
// folders: the same files and folders, HTML and static files byte for byte,
// metadata equal without `generated_at`. The incremental build's report must
// list no failures, and once it names the tags the build invalidated, every
// page re-rendered for a `tag:` reason must have carried that tag before the
// build (re-rendered pages are a subset of the pages carrying invalidated
// tags). Each seed ends with a build of the unchanged site, which must change
// nothing and, with an incremental engine, render nothing.
//
// Against a build that always renders everything this passes trivially; it
// bites as soon as builds skip pages. A failure names the seed, the step and
// the edits of that step; the sequence is deterministic, and
// ISRGEN_DIFFTEST_SEED=<seed> runs that seed alone to replay it.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "output_tree.h"
#include "random_site.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

constexpr int kStepsPerSeed = 30;

std::vector<uint64_t> seeds() {
  if (const char* only = std::getenv("ISRGEN_DIFFTEST_SEED")) return {std::strtoull(only, nullptr, 10)};
  return {11, 23, 37, 41, 53, 67, 79};  // 7 x 30 = 210 steps
}

using PageKey = std::pair<std::string, std::string>;  // page, lang

std::map<PageKey, std::set<std::string>> tags_by_page(const OutputTree& out) {
  std::map<PageKey, std::set<std::string>> tags;
  for (const auto& [path, bytes] : out.entries) {
    if (!is_metadata_path(path)) continue;
    json meta = json::parse(bytes);
    PageKey key{meta["page"].get<std::string>(), meta["lang"].get<std::string>()};
    tags[key] = meta["tags"].get<std::set<std::string>>();
  }
  return tags;
}

std::string lines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += "\n  " + item;
  return out;
}

// What the report of an incremental build must say, given the page tags the
// output carried before the build.
void check_report(const json& report, const std::map<PageKey, std::set<std::string>>& tags_before,
                  const fs::path& out) {
  REQUIRE(report.is_object());
  CHECK(report.at("failed") == json::array());
  for (const json& deleted : report.at("deleted")) {
    INFO("deleted " << deleted);
    CHECK_FALSE(fs::exists(out / deleted.get<std::string>()));
  }
  for (const json& entry : report.at("rendered")) {
    INFO("rendered " << entry);
    CHECK(fs::exists(out / entry["output"].get<std::string>()));
  }
  std::vector<std::string> invalidated = report.at("invalidated");
  CHECK(std::is_sorted(invalidated.begin(), invalidated.end()));
  CHECK(std::adjacent_find(invalidated.begin(), invalidated.end()) == invalidated.end());
  std::set<std::string> invalid(invalidated.begin(), invalidated.end());
  for (const json& entry : report.at("rendered")) {
    for (const json& reason_value : entry.at("reasons")) {
      std::string reason = reason_value;
      if (!reason.starts_with("tag:")) continue;
      std::string tag = reason.substr(4);
      auto before = tags_before.find({entry["page"].get<std::string>(), entry["lang"].get<std::string>()});
      INFO("rendered " << entry);
      CHECK(invalid.contains(tag));
      CHECK((before != tags_before.end() && before->second.contains(tag)));
    }
  }
}

// Builds one seed's site, then evolves it step by step; false after a failure.
bool run_seed(uint64_t seed, std::map<std::string, int>& kinds_applied, int& steps_run) {
  RandomSite site(seed);
  ScratchDir work, fresh;
  site.sync(work.path());
  {
    SiteBuild first = build_site(work.path());
    INFO("seed " << seed << ", first build\n" << first.result.err);
    REQUIRE(first.result.exit_code == 0);
    REQUIRE(first.report["failed"] == json::array());
  }

  OutputTree expected;
  for (int step = 1; step <= kStepsPerSeed; ++step) {
    auto tags_before = tags_by_page(OutputTree::read(work / "out"));
    std::vector<std::string> edits;
    for (size_t count = 1 + site.dice().below(4); count > 0; --count) edits.push_back(site.random_edit());
    site.sync(work.path());
    INFO("replay: ISRGEN_DIFFTEST_SEED=" << seed << ", step " << step << ", edits:" << lines(edits));

    SiteBuild incremental = build_site(work.path());
    INFO("incremental build stderr: " << incremental.result.err);
    CHECK(incremental.result.exit_code == 0);
    copy_site_sources(work.path(), fresh.path());
    SiteBuild full = build_site(fresh.path());
    INFO("full build stderr: " << full.result.err);
    REQUIRE(full.result.exit_code == 0);
    if (incremental.result.exit_code != 0) return false;

    expected = OutputTree::read(fresh / "out");
    std::string difference = describe_difference(OutputTree::read(work / "out"), expected);
    CHECK(difference == "");
    check_report(incremental.report, tags_before, work / "out");
    ++steps_run;
    if (!difference.empty()) return false;
  }
  for (const auto& [kind, count] : site.applied()) kinds_applied[kind] += count;

  SiteBuild idle = build_site(work.path());
  INFO("seed " << seed << ", build of the unchanged site\n" << idle.result.err);
  CHECK(idle.result.exit_code == 0);
  CHECK(describe_difference(OutputTree::read(work / "out"), expected) == "");
  CHECK(idle.report["invalidated"] == json::array());
  CHECK(idle.report["rendered"] == json::array());
  return true;
}

}  // namespace

TEST_CASE("incremental builds equal fresh full builds through random edit sequences", "[incremental]") {
  std::map<std::string, int> kinds_applied;
  int steps_run = 0;
  bool all_passed = true;
  for (uint64_t seed : seeds()) all_passed = run_seed(seed, kinds_applied, steps_run) && all_passed;
  if (!all_passed || std::getenv("ISRGEN_DIFFTEST_SEED")) return;

  // The sequences are only as strong as the edits they make.
  CHECK(steps_run >= 200);
  for (const RandomSite::EditKind& kind : RandomSite::edit_kinds()) {
    INFO("edit kind: " << kind.name);
    CHECK(kinds_applied[kind.name] >= 5);
  }
}
