// What a watcher saw change: site-relative paths, or "something was missed,
// look at everything" (the kernel's event queue overflowed). A path may name a
// folder that was removed or moved away; its files are gone with it.
#pragma once

#include <set>
#include <string>

namespace isrgen::watch {

struct ChangeSet {
  std::set<std::string> paths;  // site-relative, '/' separators, sorted
  bool rescan_all = false;

  bool empty() const { return paths.empty() && !rescan_all; }
  void merge(const ChangeSet& other) {
    paths.insert(other.paths.begin(), other.paths.end());
    rescan_all = rescan_all || other.rescan_all;
  }
};

}  // namespace isrgen::watch
