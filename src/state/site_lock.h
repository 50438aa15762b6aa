// One exclusive lock on a site's state (<site>/.isrgen/lock), held by every
// command that writes the state or the output: build, revalidate, sync,
// watch and serve. Two such runs at once would clear each other's temporary
// files and record half of each other's pages. The lock is an flock(2): the
// kernel lets go when the holder exits, even by SIGKILL, so no stale lock is
// ever left behind. The holder writes who it is into the file for the others.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "util/error.h"

namespace isrgen {

class SiteLock {
 public:
  // Takes the lock of the state folder `state_dir` (made if missing) for
  // `command` ("isrgen build"), waiting up to `wait` for a holder to let go;
  // `on_wait(holder)` is told once when the wait begins. Else an error naming
  // the holder (pid, command, since when) and the way out.
  static Result<std::unique_ptr<SiteLock>> acquire(
      const std::filesystem::path& state_dir, const std::string& command, std::chrono::milliseconds wait,
      const std::function<void(const std::string& holder)>& on_wait = nullptr);
  ~SiteLock();
  SiteLock(const SiteLock&) = delete;
  SiteLock& operator=(const SiteLock&) = delete;

  static std::filesystem::path path_in(const std::filesystem::path& state_dir) { return state_dir / "lock"; }

 private:
  explicit SiteLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace isrgen
