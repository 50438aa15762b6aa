// Helpers shared by the tests: scratch folders, fixture files, and running the
// isrgen binary as a user would.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "data/env_expand.h"

namespace isrgen::testing {

namespace fs = std::filesystem;

// A fresh folder under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& relative) const { return path_ / relative; }

 private:
  fs::path path_;
};

void write_text(const fs::path& path, const std::string& text);  // creates parent folders
std::string read_text(const fs::path& path);                     // "" when missing

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  // The most memory the process held (getrusage's ru_maxrss): at least what
  // the test process held when it forked, so compare it with a generous bound.
  long peak_rss_kb = 0;
};

// A YAML "billion laughs": mappings a to i, each a list of 9 aliases of the
// one before (a holds 9 strings), 9^9 values once expanded, in 9 lines.
std::string yaml_billion_laughs();

// Runs the built isrgen binary with `args` (no shell), capturing stdout and stderr.
CommandResult run_isrgen(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

// Runs `argv` (argv[0] found on PATH, no shell) the same way: for the tools a
// user runs beside isrgen (cmake, cpack, dpkg-deb, python3).
CommandResult run_program(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

fs::path build_dir();  // the build tree of this test binary and of isrgen

// An environment of exactly these variables, for code that reads it through data::EnvLookup.
data::EnvLookup fake_environment(std::map<std::string, std::string> variables);

// The padded base64 of `bytes`, by OpenSSL (isrgen itself only decodes base64:
// the signatures tests send are encoded independently of the decoder).
std::string base64_of(const unsigned char* bytes, size_t length);

fs::path source_dir();  // the repository root
fs::path shared_dir();  // ../shared beside the repository, or $ISRGEN_SHARED_DIR

}  // namespace isrgen::testing
