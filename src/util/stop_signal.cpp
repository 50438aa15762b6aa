#include "util/stop_signal.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

namespace isrgen {

Result<StopSignal> StopSignal::create() {
  int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) return make_error("", 0, std::string("cannot create the watcher's stop signal: ") + std::strerror(errno));
  return StopSignal(fd);
}

StopSignal::~StopSignal() {
  if (fd_ >= 0) ::close(fd_);
}

StopSignal::StopSignal(StopSignal&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

StopSignal& StopSignal::operator=(StopSignal&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void StopSignal::raise() const {
  // Never read back, so the counter stays above zero and the fd readable. A
  // write can only fail when the counter would overflow: it is raised anyway.
  uint64_t one = 1;
  ssize_t written = ::write(fd_, &one, sizeof one);
  (void)written;
}

bool StopSignal::raised() const {
  pollfd ready{fd_, POLLIN, 0};
  return ::poll(&ready, 1, 0) == 1;
}

}  // namespace isrgen
