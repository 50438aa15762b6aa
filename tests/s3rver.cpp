#include "s3rver.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace isrgen::testing {
namespace {

fs::path s3rver_binary() {
  fs::path binary = fs::path(ISRGEN_TOOLS_DIR) / "node_modules/.bin/s3rver";
  if (!fs::exists(binary))
    throw std::runtime_error(binary.string() + " is missing: run scripts/install-test-tools (installs s3rver and awscli)");
  return binary;
}

std::string aws_binary() {
  // Debian's awscli first: another aws earlier on PATH may be of another major version.
  for (const char* candidate : {"/usr/bin/aws", "/usr/local/bin/aws"})
    if (fs::exists(candidate)) return candidate;
  throw std::runtime_error("awscli is missing: run scripts/install-test-tools");
}

// Reads one line from `fd`; false at end of file.
bool read_line(int fd, std::string& line) {
  line.clear();
  char c;
  while (::read(fd, &c, 1) == 1) {
    if (c == '\n') return true;
    line += c;
  }
  return !line.empty();
}

}  // namespace

S3rver::S3rver(std::string bucket) : bucket_(std::move(bucket)) { start(); }

S3rver::~S3rver() { kill(); }

void S3rver::start() {
  fs::path binary = s3rver_binary();
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  std::string port_text = std::to_string(port_);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(pipe_fds[1], 1);
    ::dup2(pipe_fds[1], 2);
    ::close(pipe_fds[0]);
    // Through a wrapper that honours conditional PUTs (If-None-Match, If-Match) as S3 does.
    const std::string wrapper = (source_dir() / "tests/s3rver_conditional.js").string();
    ::execlp("node", "node", wrapper.c_str(), ISRGEN_TOOLS_DIR, data_.path().c_str(), port_text.c_str(),
             bucket_.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  pid_ = pid;
  int out = pipe_fds[0];
  std::string line;
  const std::string ready = "S3rver listening on 127.0.0.1:";
  for (;;) {
    if (!read_line(out, line)) {
      ::close(out);
      throw std::runtime_error("s3rver exited before listening (" + binary.string() + ")");
    }
    size_t at = line.find(ready);
    if (at != std::string::npos) {
      port_ = std::stoi(line.substr(at + ready.size()));
      break;
    }
  }
  stored_ = 0;
  log_reader_ = std::thread([this, out] {
    std::string logged;
    while (read_line(out, logged)) {
      if (logged.find("Stored object") == std::string::npos) continue;
      std::lock_guard lock(mutex_);
      ++stored_;
      stored_changed_.notify_all();
    }
    ::close(out);
  });
}

void S3rver::kill() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  log_reader_.join();
}

void S3rver::restart() {
  kill();
  start();
}

void S3rver::wait_for_stored_objects(int count) {
  std::unique_lock lock(mutex_);
  // A deadline against a hung server, not a delay: the wait ends at the n-th object.
  if (!stored_changed_.wait_for(lock, std::chrono::seconds(60), [&] { return stored_ >= count; }))
    throw std::runtime_error("s3rver stored only " + std::to_string(stored_) + " objects");
}

std::vector<std::string> S3rver::environment() const {
  return {"AWS_ACCESS_KEY_ID=S3RVER",  "AWS_SECRET_ACCESS_KEY=S3RVER", "AWS_REGION=us-east-1",
          "AWS_DEFAULT_REGION=us-east-1", "AWS_ENDPOINT_URL=" + endpoint(), "AWS_CONFIG_FILE=/dev/null",
          "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER="};
}

std::string S3rver::aws(const std::string& args) const {
  ScratchDir io;
  std::string command = "env";
  for (const std::string& assignment : environment()) command += " '" + assignment + "'";
  command += " " + aws_binary() + " --endpoint-url " + endpoint() + " --output json " + args + " 2>" +
             (io.path() / "stderr").string();
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run aws");
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int status = ::pclose(pipe);
  if (status != 0) throw std::runtime_error("aws " + args + " failed: " + read_text(io.path() / "stderr"));
  return out;
}

}  // namespace isrgen::testing
