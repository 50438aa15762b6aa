// The interface of `isrgen watch`'s eyes: something that blocks until files
// below the site's input folders change and says which. Two implementations:
// FileWatcher (inotify, immediate) and PollingWatcher (stat snapshots, for file
// systems without inotify such as some network and container mounts).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "util/error.h"
#include "util/stop_signal.h"
#include "watch/change_set.h"

namespace isrgen::watch {

struct WatchTarget {
  std::filesystem::path site_root;
  // Site-relative folders watched recursively; missing ones are skipped.
  std::vector<std::string> folders = {"content", "templates", "static"};
  // The output folder relative to the site, "" when it lives elsewhere; never
  // reported (a build writing its output must not trigger the next build).
  std::string out_folder = "out";
};

class Watcher {
 public:
  virtual ~Watcher() = default;
  // Blocks until at least one change passes the change filter, or `timeout_ms`
  // passes (-1: no limit), or stop() was called, or a signal interrupts the
  // wait; all but the first give an empty ChangeSet.
  virtual Result<ChangeSet> wait(int timeout_ms) = 0;

  // Ends the wait that blocks now, and every later one, at once. Safe from
  // any thread and from a signal handler; a stop before wait() is not lost.
  void stop() const { stop_.raise(); }
  bool stopped() const { return stop_.raised(); }
  // The signal behind stop(), for a SignalStop to raise on SIGINT and SIGTERM.
  const StopSignal& stop_signal() const { return stop_; }

 protected:
  explicit Watcher(StopSignal stop) : stop_(std::move(stop)) {}
  int stop_fd() const { return stop_.fd(); }

 private:
  StopSignal stop_;
};

}  // namespace isrgen::watch
