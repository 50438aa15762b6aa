// The Watcher for file systems where inotify sees nothing (network mounts,
// some container volumes): every `interval_ms` it takes a snapshot of the stat
// signature (size, mtime, inode) of each file below the watched folders and
// reports the files added, changed or removed since the last snapshot. Costs one
// stat per file per interval; sees a rename as a removal plus an addition.
#pragma once

#include <map>
#include <string>

#include "serve/watcher.h"

namespace isrgen::serve {

class PollingWatcher final : public Watcher {
 public:
  // Takes the first snapshot now: changes after construction are reported.
  PollingWatcher(WatchTarget target, int interval_ms);

  // Compares at once, then once per interval until something changed or the
  // timeout passed.
  Result<ChangeSet> wait(int timeout_ms) override;

 private:
  using Snapshot = std::map<std::string, std::string>;  // site-relative path -> signature
  Snapshot take_snapshot() const;

  WatchTarget target_;
  int interval_ms_;
  Snapshot snapshot_;
};

}  // namespace isrgen::serve
