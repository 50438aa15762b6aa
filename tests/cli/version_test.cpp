// `isrgen --version`, and the commit it names (cmake/git_commit.cmake).
#include <sys/stat.h>

#include <cmark-gfm.h>
#include <curl/curl.h>
#include <sqlite3.h>

#include <regex>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen::testing;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The header cmake/git_commit.cmake writes for the source tree `source`.
std::string commit_header_for(const fs::path& source, const fs::path& header) {
  CommandResult ran = run_program({"cmake", "-DSOURCE_DIR=" + source.string(), "-DOUTPUT=" + header.string(), "-P",
                                   (source_dir() / "cmake/git_commit.cmake").string()});
  INFO(ran.err);
  REQUIRE(ran.exit_code == 0);
  return read_text(header);
}

int64_t mtime_ns(const fs::path& path) {
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

}  // namespace

TEST_CASE("isrgen --version names isrgen's version and commit and the libraries it runs with") {
  CommandResult ran = run_isrgen({"--version"});
  INFO(ran.out << ran.err);
  REQUIRE(ran.exit_code == 0);
  std::smatch first;
  const std::string& out = ran.out;
  REQUIRE(std::regex_search(out, first, std::regex(R"(^isrgen (\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}|unknown)\)\n)")));
  if (fs::exists(source_dir() / ".git")) CHECK(first[2] != "unknown");
  // The versions of the shared libraries this machine has, as the test process sees them.
  CHECK(contains(out, std::string("\ncmark-gfm ") + cmark_version_string() + "\n"));
  CHECK(contains(out, std::string("\nSQLite ") + sqlite3_libversion() + "\n"));
  CHECK(contains(out, std::string("\nlibcurl ") + curl_version_info(CURLVERSION_NOW)->version + " ("));
  CHECK(std::regex_search(out, std::regex(R"(\nlibyaml \d+\.\d+\.\d+\n)")));
  CHECK(std::regex_search(out, std::regex(R"(\ntoml\+\+ \d+\.\d+\.\d+ )")));
  CHECK(ran.err.empty());
}

TEST_CASE("without --version or a subcommand isrgen still asks for a subcommand") {
  CommandResult ran = run_isrgen({});
  CHECK(ran.exit_code == 2);
  CHECK(contains(ran.err, "A subcommand is required"));
}

TEST_CASE("the commit header names the checkout's commit and is rewritten only when it changes") {
  ScratchDir scratch;
  const fs::path repo = scratch / "repo", header = scratch / "isrgen_commit.h";
  fs::create_directories(repo);
  write_text(repo / "file", "one");
  const std::vector<std::string> git = {"git", "-C", repo.string(), "-c", "user.name=isrgen", "-c",
                                        "user.email=isrgen@isrgen.invalid"};
  auto git_run = [&](std::vector<std::string> args) {
    std::vector<std::string> command = git;
    command.insert(command.end(), args.begin(), args.end());
    CommandResult ran = run_program(command);
    INFO(ran.err);
    REQUIRE(ran.exit_code == 0);
    return ran.out;
  };
  git_run({"init", "-q"});
  git_run({"add", "file"});
  git_run({"commit", "-q", "-m", "one"});
  std::string first = git_run({"rev-parse", "--short=12", "HEAD"});
  first.pop_back();  // the newline
  CHECK(contains(commit_header_for(repo, header), "#define ISRGEN_COMMIT \"" + first + "\""));

  // The same commit: the header keeps its bytes and its time, so nothing recompiles.
  const int64_t written = mtime_ns(header);
  commit_header_for(repo, header);
  CHECK(mtime_ns(header) == written);

  write_text(repo / "file", "two");
  git_run({"commit", "-q", "-a", "-m", "two"});
  std::string second = git_run({"rev-parse", "--short=12", "HEAD"});
  second.pop_back();
  REQUIRE(second != first);
  CHECK(contains(commit_header_for(repo, header), "#define ISRGEN_COMMIT \"" + second + "\""));
}

TEST_CASE("a source tree without git (a tarball) builds an isrgen whose commit is unknown") {
  ScratchDir scratch;
  fs::create_directories(scratch / "tree");
  CHECK(contains(commit_header_for(scratch / "tree", scratch / "isrgen_commit.h"),
                 "#define ISRGEN_COMMIT \"unknown\""));
}
