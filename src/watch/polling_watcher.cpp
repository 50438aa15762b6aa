#include "watch/polling_watcher.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "util/fs.h"
#include "watch/tree_walk.h"

namespace isrgen::watch {

namespace {

// Paths present in only one snapshot, or with different signatures.
ChangeSet difference(const std::map<std::string, std::string>& before,
                     const std::map<std::string, std::string>& after) {
  ChangeSet changes;
  for (const auto& [path, signature] : before) {
    auto now = after.find(path);
    if (now == after.end() || now->second != signature) changes.paths.insert(path);
  }
  for (const auto& entry : after) {
    if (!before.contains(entry.first)) changes.paths.insert(entry.first);
  }
  return changes;
}

}  // namespace

Result<std::unique_ptr<PollingWatcher>> PollingWatcher::open(WatchTarget target, int interval_ms) {
  auto stop = StopSignal::create();
  if (!stop.ok()) return stop.error();
  return std::unique_ptr<PollingWatcher>(new PollingWatcher(std::move(target), interval_ms, std::move(stop).value()));
}

PollingWatcher::PollingWatcher(WatchTarget target, int interval_ms, StopSignal stop)
    : Watcher(std::move(stop)), target_(std::move(target)), interval_ms_(interval_ms), snapshot_(take_snapshot()) {}

PollingWatcher::Snapshot PollingWatcher::take_snapshot() const {
  Snapshot snapshot;
  // One open of the site folder per snapshot; each file is looked up from it.
  SignatureReader signatures(target_.site_root);
  auto on_file = [&](const std::string& path) { snapshot[path] = signatures.signature(path); };
  for (const std::string& root : target_.folders) {
    walk_tree(target_.site_root, root, target_.out_folder, [](const std::string&) {}, on_file);
  }
  return snapshot;
}

Result<ChangeSet> PollingWatcher::wait(int timeout_ms) {
  using std::chrono::steady_clock;
  auto deadline = steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (stopped()) return ChangeSet{};
    Snapshot now = take_snapshot();
    ChangeSet changes = difference(snapshot_, now);
    snapshot_ = std::move(now);
    if (!changes.empty()) return changes;
    auto pause = std::chrono::milliseconds(interval_ms_);
    if (timeout_ms >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now());
      if (left.count() <= 0) return changes;
      pause = std::min(pause, left);
    }
    // The pause blocks on the stop signal alone, so stop() ends it at once.
    pollfd stop{stop_fd(), POLLIN, 0};
    int n = ::poll(&stop, 1, static_cast<int>(pause.count()));
    if (n < 0 && errno == EINTR) return ChangeSet{};  // a signal: let the caller decide whether to stop
    if (n < 0) return make_error("", 0, std::string("cannot wait for file changes: ") + std::strerror(errno));
    if (n > 0) return ChangeSet{};
  }
}

}  // namespace isrgen::watch
