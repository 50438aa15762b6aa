#include "util/signal_stop.h"

#include <atomic>
#include <cerrno>

namespace isrgen {
namespace {

// A lock-free atomic is what a handler may read (async-signal-safe).
std::atomic<const StopSignal*> installed_stop{nullptr};
static_assert(std::atomic<const StopSignal*>::is_always_lock_free);

void raise_stop(int) {
  int saved_errno = errno;  // the interrupted code may be about to read errno
  if (const StopSignal* stop = installed_stop.load()) stop->raise();
  errno = saved_errno;
}

}  // namespace

SignalStop::SignalStop(const StopSignal& stop) : previous_stop_(installed_stop.exchange(&stop)) {
  struct sigaction action {};
  action.sa_handler = raise_stop;
  sigemptyset(&action.sa_mask);
  // Restart the reads and writes of a running build rather than failing them
  // with EINTR; the watchers' poll() wakes up through the stop's fd anyway.
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &previous_int_);
  sigaction(SIGTERM, &action, &previous_term_);
}

SignalStop::~SignalStop() {
  sigaction(SIGINT, &previous_int_, nullptr);
  sigaction(SIGTERM, &previous_term_, nullptr);
  installed_stop.store(previous_stop_);
}

}  // namespace isrgen
