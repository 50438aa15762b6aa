// The inotify Watcher. inotify is not recursive, so every folder below the
// watched roots gets its own watch, added as folders appear. Reported changes:
// a file written and closed, created by rename (atomic saves), renamed away,
// deleted; a folder deleted or moved away (reported as the folder's path); a
// folder created or moved in (its files reported, found by listing it after its
// watch was added, so files created before the watch existed are not missed).
// A root folder missing at first, deleted or moved away is watched once it
// appears in the site folder (its files reported as for a new folder); a root
// nested deeper ("assets/css") only when it comes along with its top folder
// (moved in, or a checkout writing both). A kernel
// queue overflow reports rescan_all.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "watch/watcher.h"

struct inotify_event;

namespace isrgen::watch {

class FileWatcher final : public Watcher {
 public:
  // Fails when inotify is unavailable or out of watches (the caller can fall
  // back to PollingWatcher).
  static Result<std::unique_ptr<FileWatcher>> open(WatchTarget target);
  ~FileWatcher() override;
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

  // Also ends at once when stop() was called.
  Result<ChangeSet> wait(int timeout_ms) override;

  // Acts on `events`, inotify events laid out (and aligned) as read(2)
  // returns them, adding what they report to `changes`. wait() feeds it what the kernel sends; tests
  // feed it events the kernel sends only under load (IN_Q_OVERFLOW).
  void handle_events(std::string_view events, ChangeSet& changes);

 private:
  FileWatcher(WatchTarget target, int fd, StopSignal stop);
  // Watches `folder` and every folder below it; adds their files to `found`
  // when given.
  Status watch_site();
  Status watch_tree(const std::string& folder, ChangeSet* found);
  void unwatch_tree(const std::string& folder);
  Status read_events(ChangeSet& changes);
  void handle(const inotify_event& event, ChangeSet& changes);
  void handle_site(const inotify_event& event, ChangeSet& changes);

  WatchTarget target_;
  int fd_;
  int site_wd_ = -1;  // the watch on the site folder itself
  std::map<int, std::string> folders_;  // watch descriptor -> site-relative folder
};

}  // namespace isrgen::watch
