// The isrgen binary running in the background, for tests of long-running
// commands (`isrgen watch`, `isrgen serve`): its stdout and stderr are read
// by a thread as they come, and a test waits for a line to appear instead of
// waiting for time. The process is killed when the object dies.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace isrgen::testing {

using namespace std::chrono_literals;

class IsrgenProcess {
 public:
  // Starts ISRGEN_BINARY with `args`; `env` ("NAME=value") is added to (or
  // overrides) the test's environment.
  explicit IsrgenProcess(const std::vector<std::string>& args, const std::vector<std::string>& env = {});
  ~IsrgenProcess();
  IsrgenProcess(const IsrgenProcess&) = delete;
  IsrgenProcess& operator=(const IsrgenProcess&) = delete;

  // Blocks until a complete line of stdout or stderr holds `text`, and
  // returns that line (without its newline). Each stream is searched from
  // after the last line a previous call returned, so waiting twice for
  // "built" waits for two such lines. nullopt when `limit` passed first or
  // the process closed both streams without printing it; `limit` only bounds
  // a failing test.
  std::optional<std::string> wait_for_output(const std::string& text,
                                             std::chrono::milliseconds limit = 30s);

  pid_t pid() const { return pid_; }
  void signal(int signal_number) const;
  // The exit status (128 + N when killed by signal N), or nullopt when it
  // was still running after `limit`.
  std::optional<int> wait_exit(std::chrono::milliseconds limit = 30s);

  // All the output so far, for failure messages.
  std::string out() const;
  std::string err() const;

 private:
  struct Stream {
    int fd = -1;
    std::string text;
    size_t searched_from = 0;  // after the line the last wait returned
  };
  void read_output();
  std::optional<std::string> take_line(Stream& stream, const std::string& text);

  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Stream out_, err_;
  bool streams_closed_ = false;
  std::thread reader_;
};

}  // namespace isrgen::testing
