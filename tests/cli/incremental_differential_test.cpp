// Differential test of incremental builds against fresh full builds
// (ARCHITECTURE §3: incremental output must equal a full build, byte for byte).
//
// A seeded random site (tests/random_site.h) evolves through many steps. Each
// step applies 1-4 random edits that keep the site valid, builds the evolving
// site with the isrgen binary (keeping its state and output from the step
// before, as users run it), then builds the same sources afresh in-process
// (tests/reference_build.h: forced, into output and state folders of its
// own), and compares the two output folders: the same files and folders,
// HTML and static files byte for byte, metadata equal without `generated_at`.
// The incremental build's report must list no failures, and once it names the
// tags the build invalidated, every page re-rendered for a `tag:` reason must
// have carried that tag before the build (re-rendered pages are a subset of
// the pages carrying invalidated tags). Each seed ends with a build of the
// unchanged site, which must change nothing and, with an incremental engine,
// render nothing.
//
// Against a build that always renders everything this passes trivially; it
// bites as soon as builds skip pages. Every seed is a test case of its own
// ("... of seed 53"), so ctest runs them side by side and names the failing one;
// a failure also names the step and the edits of that step. A seed replays the
// same edits everywhere: `ctest -R 'seed 53'` reruns one of the suite's seeds,
// and ISRGEN_DIFFTEST_SEED=<seed> (any seed) makes that seed the only one the
// test binary registers, e.g. ISRGEN_DIFFTEST_SEED=1234 build/isrgen_tests
// '[differential]'. ctest's list of test names is taken when the test binary
// is built, so build without the variable set.
//
// Sanitizer builds, several times slower, run two of the seeds; release runs
// all seven. A separate test case plays the same edit sequences without
// building (the edits depend on the seed alone, never on a build) and checks
// that they exercise every kind of edit.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "output_tree.h"
#include "random_site.h"
#include "reference_build.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

constexpr int kStepsPerSeed = 30;

// The seeds a suite runs, and how often each kind of edit must occur in their
// sequences for the comparison to mean something.
struct SeedPlan {
  std::vector<uint64_t> seeds;
  int min_edits_per_kind;
};

#if ISRGEN_SANITIZED
const SeedPlan kSuitePlan = {{37, 41}, 1};  // 2 x 30 steps, every kind at least once
#else
const SeedPlan kSuitePlan = {{11, 23, 37, 41, 53, 67, 79}, 5};  // 7 x 30 = 210 steps
#endif

// The seeds this run registers: the suite's, or the one ISRGEN_DIFFTEST_SEED names.
std::vector<uint64_t> seeds_to_run() {
  if (const char* only = std::getenv("ISRGEN_DIFFTEST_SEED")) return {std::strtoull(only, nullptr, 10)};
  return kSuitePlan.seeds;
}

// Applies the random edits of one step to the model; returns what they did.
std::vector<std::string> edit_step(RandomSite& site) {
  std::vector<std::string> edits;
  for (size_t count = 1 + site.dice().below(4); count > 0; --count) edits.push_back(site.random_edit());
  return edits;
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

// Builds one seed's site, then evolves it step by step.
void run_seed(uint64_t seed) {
  RandomSite site(seed);
  ScratchDir work, reference;
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
    std::vector<std::string> edits = edit_step(site);
    site.sync(work.path());
    INFO("replay: ISRGEN_DIFFTEST_SEED=" << seed << ", step " << step << ", edits:" << lines(edits));

    SiteBuild incremental = build_site(work.path());
    INFO("incremental build stderr: " << incremental.result.err);
    CHECK(incremental.result.exit_code == 0);
    ReferenceBuild full = fresh_full_build(work.path(), reference.path());
    REQUIRE(full.error == "");  // else the edits broke the site
    if (incremental.result.exit_code != 0) return;
    expected = std::move(full.out);

    std::string difference = describe_difference(OutputTree::read(work / "out"), expected);
    CHECK(difference == "");
    check_report(incremental.report, tags_before, work / "out");
    if (!difference.empty()) return;
  }

  SiteBuild idle = build_site(work.path());
  INFO("seed " << seed << ", build of the unchanged site\n" << idle.result.err);
  CHECK(idle.result.exit_code == 0);
  CHECK(describe_difference(OutputTree::read(work / "out"), expected) == "");
  CHECK(idle.report["invalidated"] == json::array());
  CHECK(idle.report["rendered"] == json::array());
}

// One test case per seed, registered before main() runs, so that Catch's test
// list (and with it ctest's, through catch_discover_tests) holds every seed.
class SeedTest final : public Catch::ITestInvoker {
 public:
  explicit SeedTest(uint64_t seed) : seed_(seed) {}
  void invoke() const override { run_seed(seed_); }

 private:
  uint64_t seed_;
};

struct SeedTests {
  SeedTests() {
    for (uint64_t seed : seeds_to_run()) {
      std::string name = "incremental builds equal fresh full builds through random edit sequences of seed " +
                         std::to_string(seed);
      Catch::AutoReg registration(new SeedTest(seed), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                                  Catch::NameAndTags{name, "[incremental][differential]"});
    }
  }
} const kSeedTests;

}  // namespace

// The sequences are only as strong as the edits they make.
TEST_CASE("the differential test's edit sequences apply every kind of edit", "[incremental][differential]") {
  std::map<std::string, int> kinds_applied;
  for (uint64_t seed : kSuitePlan.seeds) {
    RandomSite site(seed);
    for (int step = 1; step <= kStepsPerSeed; ++step) edit_step(site);
    for (const auto& [kind, count] : site.applied()) kinds_applied[kind] += count;
  }
  for (const RandomSite::EditKind& kind : RandomSite::edit_kinds()) {
    INFO("edit kind: " << kind.name);
    CHECK(kinds_applied[kind.name] >= kSuitePlan.min_edits_per_kind);
  }
}
