// The CI examples (examples/github-actions.yml, examples/gitlab-ci.yml) parse
// as YAML, and the isrgen commands they run really run: against s3rver, on
// two fresh runners in a row, the second renders nothing it need not.
#include <catch2/catch.hpp>

#include <cstdio>
#include <sstream>

#include "fixture_site.h"
#include "s3rver.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

// What tests/ci_examples.py reads out of an example.
json example_steps(const std::string& name) {
  const std::string command = "python3 " + (source_dir() / "tests/ci_examples.py").string() + " " +
                              (source_dir() / "examples" / name).string();
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  INFO("python3 with PyYAML (scripts/install-test-tools installs python3-yaml)");
  REQUIRE(::pclose(pipe) == 0);
  return json::parse(out);
}

// An example's command line as the test runs it: the example's buckets
// become s3rver's one bucket, its site this fixture, and the redirection of
// the report is what the test reads from stdout.
std::vector<std::string> runnable(const std::string& line, const FixtureSite& site) {
  std::istringstream words(line);
  std::vector<std::string> args;
  std::string word;
  words >> word;  // isrgen
  while (words >> word && word != ">") {
    if (word == ".") word = site.root().string();
    if (word.starts_with("s3://promo-site/")) word = "s3://site/" + word.substr(16);
    args.push_back(word);
  }
  return args;
}

}  // namespace

TEST_CASE("CI examples: the YAML parses and its build and sync run, the second runner rendering nothing") {
  for (const std::string name : {"github-actions.yml", "gitlab-ci.yml"}) {
    INFO(name);
    json steps = example_steps(name);
    REQUIRE(steps["state"].get<std::string>().starts_with("s3://"));
    REQUIRE(steps["commands"].size() == 2);
    CHECK(steps["installs_package"] == true);
    CHECK(steps["commands"][0].get<std::string>().starts_with("isrgen build "));
    CHECK(steps["commands"][1].get<std::string>().starts_with("isrgen sync "));

    S3rver s3;
    std::vector<std::string> env = s3.environment();
    env.push_back("ISRGEN_STATE=s3://site/state");
    json reports[2][2];
    for (int runner = 0; runner < 2; ++runner) {
      FixtureSite site;
      for (int step = 0; step < 2; ++step) {
        CommandResult result = run_isrgen(runnable(steps["commands"][step], site), env);
        INFO("runner " << runner << ", step " << step << ": " << result.err);
        REQUIRE(result.exit_code == 0);
        reports[runner][step] = json::parse(result.out);
      }
    }
    CHECK(reports[0][0]["stats"]["rendered"] > 0);
    CHECK(reports[0][1]["stats"]["uploaded"] > 0);
    CHECK(reports[1][0]["stats"]["rendered"] == 0);
    CHECK(reports[1][1]["stats"]["uploaded"] == 0);
  }
}
