#include "test_support.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace isrgen::testing {

ScratchDir::ScratchDir() {
  std::random_device random;
  for (;;) {
    path_ = fs::temp_directory_path() / ("isrgen-test-" + std::to_string(random()));
    if (fs::create_directory(path_)) break;
  }
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

namespace {

std::string drain(int fd) {
  std::string out;
  char buffer[8192];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  return out;
}

}  // namespace

CommandResult run_program(const std::vector<std::string>& command, const std::vector<std::string>& env) {
  // Output goes to temp files rather than pipes so a chatty child cannot block.
  ScratchDir io;
  fs::path out_path = io / "stdout", err_path = io / "stderr";
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    for (const auto& assignment : env) ::putenv(const_cast<char*>(assignment.c_str()));
    std::vector<char*> argv;
    for (const auto& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  ::wait4(pid, &status, 0, &usage);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.peak_rss_kb = usage.ru_maxrss;
  int fd = ::open(out_path.c_str(), O_RDONLY);
  result.out = drain(fd);
  ::close(fd);
  fd = ::open(err_path.c_str(), O_RDONLY);
  result.err = drain(fd);
  ::close(fd);
  return result;
}

CommandResult run_isrgen(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> command = {ISRGEN_BINARY};
  command.insert(command.end(), args.begin(), args.end());
  return run_program(command, env);
}

fs::path build_dir() { return fs::path(ISRGEN_BINARY).parent_path(); }

std::string yaml_billion_laughs() {
  std::string yaml = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (char level = 'b'; level <= 'i'; ++level) {
    const std::string previous(1, static_cast<char>(level - 1));
    yaml += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 9; ++i) yaml += (i ? ", *" : "*") + previous;
    yaml += "]\n";
  }
  return yaml;
}

fs::path source_dir() { return ISRGEN_SOURCE_DIR; }

fs::path shared_dir() {
  if (const char* dir = std::getenv("ISRGEN_SHARED_DIR")) return dir;
  return source_dir().parent_path() / "shared";
}

data::EnvLookup fake_environment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

std::string base64_of(const unsigned char* bytes, size_t length) {
  std::string text(4 * ((length + 2) / 3) + 1, '\0');  // EVP_EncodeBlock writes a terminating NUL
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytes, static_cast<int>(length));
  text.resize(static_cast<size_t>(written));
  return text;
}

}  // namespace isrgen::testing
