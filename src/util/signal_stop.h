// Ctrl-C and `kill` for the long-running commands (`isrgen watch`, `isrgen
// serve`): while a SignalStop lives, SIGINT and SIGTERM raise the given
// StopSignal instead of killing the process, so the command finishes the
// build it is running and leaves its output and state consistent. A second
// signal while stopping changes nothing (the stop stays raised). The handlers
// in place before are restored when it dies. One at a time per process.
#pragma once

#include <signal.h>

#include "util/stop_signal.h"

namespace isrgen {

class SignalStop {
 public:
  // `stop` must outlive this object.
  explicit SignalStop(const StopSignal& stop);
  ~SignalStop();
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;

 private:
  const StopSignal* previous_stop_;
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

}  // namespace isrgen
