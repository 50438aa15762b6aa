// The Watcher for file systems where inotify sees nothing (network mounts,
// some container volumes): every `interval_ms` it takes a snapshot of the stat
// signature (size, mtime, inode) of each file below the watched folders and
// reports the files added, changed or removed since the last snapshot. Costs one
// stat per file per interval; sees a rename as a removal plus an addition.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "watch/watcher.h"

namespace isrgen::watch {

class PollingWatcher final : public Watcher {
 public:
  // Takes the first snapshot now: changes after opening are reported. Fails
  // only when the process is out of file descriptors.
  static Result<std::unique_ptr<PollingWatcher>> open(WatchTarget target, int interval_ms);

  // Compares at once, then once per interval until something changed, the
  // timeout passed or stop() was called (the pause between two comparisons
  // ends at once then).
  Result<ChangeSet> wait(int timeout_ms) override;

 private:
  PollingWatcher(WatchTarget target, int interval_ms, StopSignal stop);
  using Snapshot = std::map<std::string, std::string>;  // site-relative path -> signature
  Snapshot take_snapshot() const;

  WatchTarget target_;
  int interval_ms_;
  Snapshot snapshot_;
};

}  // namespace isrgen::watch
