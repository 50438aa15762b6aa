// The way to end a Watcher's wait from elsewhere: an eventfd that the
// watchers include in their poll(). Raising it is one write(2), so it is safe
// from another thread and from a signal handler, and it stays raised: a stop
// that comes before the wait starts is not lost (no check-then-block race).
#pragma once

#include "util/error.h"

namespace isrgen {

class StopSignal {
 public:
  // Fails only when the process is out of file descriptors.
  static Result<StopSignal> create();
  ~StopSignal();
  StopSignal(StopSignal&& other) noexcept;
  StopSignal& operator=(StopSignal&& other) noexcept;
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  void raise() const;   // async-signal-safe
  bool raised() const;  // without blocking
  int fd() const { return fd_; }  // readable (POLLIN) once raised

 private:
  explicit StopSignal(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace isrgen
