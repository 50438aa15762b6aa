#include "watch/file_watcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "watch/change_filter.h"
#include "watch/tree_walk.h"

namespace isrgen::watch {

namespace {

// IN_CREATE is only acted on for folders: a new file is reported by its
// IN_CLOSE_WRITE once written, not half-written on creation. IN_MOVED_TO covers
// atomic saves (temp file renamed over the target).
constexpr uint32_t kFolderMask = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                                 IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

// The site folder itself: only its folders coming and going matter, to watch
// a root that appears (created after the watch began, or by a checkout).
constexpr uint32_t kSiteMask =
    IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

Error system_error(const std::string& what, int error_number) {
  return make_error("", 0, what + ": " + std::strerror(error_number));
}

}  // namespace

Result<std::unique_ptr<FileWatcher>> FileWatcher::open(WatchTarget target) {
  auto stop = StopSignal::create();
  if (!stop.ok()) return stop.error();
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return system_error("cannot start inotify (try --poll)", errno);
  std::unique_ptr<FileWatcher> watcher(new FileWatcher(std::move(target), fd, std::move(stop).value()));
  // The site folder first, so a root created while the others are being
  // watched is seen appearing.
  Status site = watcher->watch_site();
  if (!site.ok()) return site.error();
  for (const std::string& root : watcher->target_.folders) {
    if (!std::filesystem::is_directory(watcher->target_.site_root / root)) continue;
    Status status = watcher->watch_tree(root, nullptr);
    if (!status.ok()) return status.error();
  }
  return watcher;
}

FileWatcher::FileWatcher(WatchTarget target, int fd, StopSignal stop)
    : Watcher(std::move(stop)), target_(std::move(target)), fd_(fd) {}

FileWatcher::~FileWatcher() { ::close(fd_); }

Status FileWatcher::watch_site() {
  site_wd_ = ::inotify_add_watch(fd_, target_.site_root.c_str(), kSiteMask);
  if (site_wd_ < 0 && errno == ENOSPC)
    return make_error("", 0, "no inotify watch left (raise fs.inotify.max_user_watches, or use --poll)");
  // Other failures (no site folder) leave roots that appear later unseen, as
  // the roots themselves are then missing too.
  return Status::Ok();
}

Status FileWatcher::watch_tree(const std::string& folder, ChangeSet* found) {
  Status status;
  auto on_folder = [&](const std::string& path) {
    int wd = ::inotify_add_watch(fd_, (target_.site_root / path).c_str(), kFolderMask);
    if (wd >= 0) {
      folders_[wd] = path;  // an existing watch (after an overflow) keeps its descriptor
    } else if (errno == ENOSPC && status.ok()) {
      status = make_error(path, 0, "no inotify watch left (raise fs.inotify.max_user_watches, or use --poll)");
    }
    // Other failures mean the folder vanished or became a file: its removal is reported anyway.
  };
  auto on_file = [&](const std::string& path) {
    if (found) found->paths.insert(path);
  };
  walk_tree(target_.site_root, folder, target_.out_folder, on_folder, on_file);
  return status;
}

void FileWatcher::unwatch_tree(const std::string& folder) {
  for (auto it = folders_.begin(); it != folders_.end();) {
    if (is_under(it->second, folder)) {
      // Fails harmlessly when the kernel already dropped the watch (folder deleted).
      ::inotify_rm_watch(fd_, it->first);
      it = folders_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<ChangeSet> FileWatcher::wait(int timeout_ms) {
  using std::chrono::steady_clock;
  auto deadline = steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  ChangeSet changes;
  while (changes.empty()) {
    int remaining = timeout_ms;
    if (timeout_ms >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now());
      remaining = static_cast<int>(std::max<int64_t>(0, left.count()));
    }
    // The stop signal first: once raised, it wins over pending events.
    pollfd ready[] = {{stop_fd(), POLLIN, 0}, {fd_, POLLIN, 0}};
    int n = ::poll(ready, 2, remaining);
    if (n < 0 && errno == EINTR) break;  // a signal: let the caller decide whether to stop
    if (n < 0) return system_error("cannot wait for file changes", errno);
    if (n == 0) break;
    if (ready[0].revents != 0) return ChangeSet{};
    Status status = read_events(changes);
    if (!status.ok()) return status.error();
  }
  return changes;
}

Status FileWatcher::read_events(ChangeSet& changes) {
  // Large enough for many events per read(); aligned for inotify_event.
  alignas(inotify_event) char buffer[64 * 1024];
  while (true) {
    ssize_t length = ::read(fd_, buffer, sizeof buffer);
    if (length < 0 && errno == EINTR) continue;
    if (length < 0 && errno == EAGAIN) return Status::Ok();
    if (length <= 0) return system_error("cannot read file events", length < 0 ? errno : EIO);
    handle_events(std::string_view(buffer, static_cast<size_t>(length)), changes);
  }
}

void FileWatcher::handle_events(std::string_view events, ChangeSet& changes) {
  for (size_t at = 0; at + sizeof(inotify_event) <= events.size();) {
    const auto* event = reinterpret_cast<const inotify_event*>(events.data() + at);
    size_t size = sizeof(inotify_event) + event->len;
    if (at + size > events.size()) break;  // cut off: never from the kernel
    handle(*event, changes);
    at += size;
  }
}

void FileWatcher::handle(const inotify_event& event, ChangeSet& changes) {
  if (event.mask & IN_Q_OVERFLOW) {
    // Events were lost, folders created meanwhile may be unwatched: watch the
    // whole tree again and let the build compare every input.
    changes.rescan_all = true;
    for (const std::string& root : target_.folders) (void)watch_tree(root, nullptr);
    return;
  }
  if (event.wd == site_wd_) {
    handle_site(event, changes);
    return;
  }
  auto folder = folders_.find(event.wd);
  if (folder == folders_.end()) return;  // a watch already dropped by unwatch_tree
  if (event.mask & IN_IGNORED) {
    // The folder is gone; its parent reported the deletion, unless it was a root.
    if (folder->second.find('/') == std::string::npos) changes.paths.insert(folder->second);
    folders_.erase(folder);
    return;
  }
  if (event.len == 0) return;  // an event about the watched folder itself
  std::string path = folder->second + "/" + event.name;
  if (is_ignored_change(path, target_.out_folder)) return;
  if (event.mask & IN_ISDIR) {
    if (event.mask & (IN_CREATE | IN_MOVED_TO)) {
      (void)watch_tree(path, &changes);
    } else if (event.mask & (IN_DELETE | IN_MOVED_FROM)) {
      // A folder moved within the tree reappears under its new name with
      // IN_MOVED_TO and is watched again there; its old watches name old paths.
      unwatch_tree(path);
      changes.paths.insert(path);
    }
    return;
  }
  if (event.mask & (IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)) changes.paths.insert(path);
}

void FileWatcher::handle_site(const inotify_event& event, ChangeSet& changes) {
  if (event.mask & IN_IGNORED) {
    site_wd_ = -1;  // the site folder itself is gone
    return;
  }
  if (event.len == 0 || !(event.mask & IN_ISDIR)) return;
  std::string name = event.name;
  for (const std::string& root : target_.folders) {
    // A root below the folder that came or went ("assets/css" when "assets" did).
    if (root != name && !root.starts_with(name + "/")) continue;
    if (event.mask & (IN_CREATE | IN_MOVED_TO)) {
      (void)watch_tree(root, &changes);
    } else if (event.mask & (IN_DELETE | IN_MOVED_FROM)) {
      // A root moved away keeps its watches, which would report the new place
      // under the old name: drop them.
      unwatch_tree(root);
      changes.paths.insert(root);
    }
  }
}

}  // namespace isrgen::watch
