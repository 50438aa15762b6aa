#include "isrgen_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

extern char** environ;

namespace isrgen::testing {
namespace {

// The test's environment with `extra` added; NAME=value strings.
std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> variables;
  auto add = [&variables](const std::string& assignment) {
    size_t equals = assignment.find('=');
    if (equals != std::string::npos) variables[assignment.substr(0, equals)] = assignment;
  };
  for (char** entry = environ; *entry != nullptr; ++entry) add(*entry);
  for (const std::string& assignment : extra) add(assignment);
  std::vector<std::string> environment;
  for (auto& [name, assignment] : variables) environment.push_back(std::move(assignment));
  return environment;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& text : strings) result.push_back(text.data());
  result.push_back(nullptr);
  return result;
}

}  // namespace

IsrgenProcess::IsrgenProcess(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe failed: ") + std::strerror(errno));
  // Everything the child needs is prepared before fork: a test process has
  // threads, so the child may only make async-signal-safe calls.
  std::vector<std::string> argv_strings = {ISRGEN_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = child_environment(env);
  std::vector<char*> argv = pointers(argv_strings), envp = pointers(env_strings);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid_ == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  out_.fd = out_pipe[0];
  err_.fd = err_pipe[0];
  reader_ = std::thread([this] { read_output(); });
}

IsrgenProcess::~IsrgenProcess() {
  if (!exit_status_) {
    ::kill(pid_, SIGKILL);
    wait_exit(30s);
  }
  reader_.join();
  ::close(out_.fd);
  ::close(err_.fd);
}

void IsrgenProcess::read_output() {
  std::vector<pollfd> fds = {{out_.fd, POLLIN, 0}, {err_.fd, POLLIN, 0}};
  Stream* streams[] = {&out_, &err_};
  size_t open = fds.size();
  char buffer[8192];
  while (open > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard<std::mutex> lock(mutex_);
      if (n > 0) {
        streams[i]->text.append(buffer, static_cast<size_t>(n));
      } else {  // end of file (or an error): the child closed it
        fds[i].fd = -1;
        --open;
      }
      changed_.notify_all();
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  streams_closed_ = true;
  changed_.notify_all();
}

std::optional<std::string> IsrgenProcess::take_line(Stream& stream, const std::string& text) {
  size_t line_start = stream.searched_from;
  for (;;) {
    size_t line_end = stream.text.find('\n', line_start);
    if (line_end == std::string::npos) return std::nullopt;  // an incomplete line may still grow
    std::string line = stream.text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    if (line.find(text) != std::string::npos) {
      stream.searched_from = line_start;
      return line;
    }
  }
}

std::optional<std::string> IsrgenProcess::wait_for_output(const std::string& text, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (auto line = take_line(out_, text)) return line;
    if (auto line = take_line(err_, text)) return line;
    if (streams_closed_) return std::nullopt;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      if (auto line = take_line(out_, text)) return line;
      return take_line(err_, text);
    }
  }
}

void IsrgenProcess::signal(int signal_number) const {
  if (!exit_status_) ::kill(pid_, signal_number);
}

std::optional<int> IsrgenProcess::wait_exit(std::chrono::milliseconds limit) {
  if (exit_status_) return exit_status_;
  // The child's end is signalled by its closing both streams (a pipe has no
  // writer left), so the wait is on the reader thread, not a polling loop.
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!changed_.wait_for(lock, limit, [this] { return streams_closed_; })) return std::nullopt;
  }
  int status = 0;
  if (::waitpid(pid_, &status, 0) != pid_) return std::nullopt;
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return exit_status_;
}

std::string IsrgenProcess::out() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return out_.text;
}

std::string IsrgenProcess::err() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return err_.text;
}

}  // namespace isrgen::testing
