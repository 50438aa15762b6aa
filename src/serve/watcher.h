// The interface of `isrgen watch`'s eyes: something that blocks until files
// below the site's input folders change and says which. Two implementations:
// FileWatcher (inotify, immediate) and PollingWatcher (stat snapshots, for file
// systems without inotify such as some network and container mounts).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "serve/change_set.h"
#include "util/error.h"

namespace isrgen::serve {

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
  // passes (-1: no limit), or a signal interrupts the wait; the last two give
  // an empty ChangeSet.
  virtual Result<ChangeSet> wait(int timeout_ms) = 0;
};

}  // namespace isrgen::serve
