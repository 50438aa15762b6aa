#include "state/site_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <thread>

#include "util/fs.h"

namespace isrgen {
namespace {

std::string utc_now_text() {
  std::time_t now = std::time(nullptr);
  struct tm utc {};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

// "pid 1234 (isrgen serve, since 2026-12-07 01:02:03 UTC)", as the holder
// wrote it in the lock file open at `fd`; a holder that has not written yet
// (or a note longer than any isrgen writes) is "another isrgen process".
std::string holder_of(int fd) {
  constexpr size_t kLongestNote = 1024;
  std::string holder(kLongestNote + 1, '\0');
  ssize_t got = ::pread(fd, holder.data(), holder.size(), 0);
  if (got <= 0 || static_cast<size_t>(got) > kLongestNote) return "another isrgen process";
  holder.resize(static_cast<size_t>(got));
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\r')) holder.pop_back();
  return holder;
}

// Replaces the holder's note. Best effort: the lock holds without it.
bool write_note(int fd, const std::string& note) {
  return ::ftruncate(fd, 0) == 0 &&
         (note.empty() || ::pwrite(fd, note.data(), note.size(), 0) == static_cast<ssize_t>(note.size()));
}

}  // namespace

Result<std::unique_ptr<SiteLock>> SiteLock::acquire(const std::filesystem::path& state_dir, const std::string& command,
                                                    std::chrono::milliseconds wait,
                                                    const std::function<void(const std::string& holder)>& on_wait) {
  const std::filesystem::path lock_path = path_in(state_dir);
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return make_environment_error(state_dir.string(), "cannot create the state folder: " + ec.message());
  // The state folder itself must not lead out of the site either: every store
  // and the lock are written inside it.
  if (std::filesystem::is_symlink(std::filesystem::symlink_status(state_dir, ec)))
    return make_error(state_dir.string(), 0,
                      "the site's state folder is a symbolic link, which isrgen never writes through: delete the "
                      "link (isrgen makes the folder itself)");
  // Never through a link: the lock's note replaces the file's bytes, and a
  // site checked out from elsewhere may carry .isrgen/lock as a link to any
  // file of the user's.
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0 && errno == ELOOP)
    return make_error(lock_path.string(), 0,
                      "the site's lock is a symbolic link, which isrgen never writes through: delete it (isrgen "
                      "makes the lock file itself)");
  if (fd < 0)
    return make_environment_error(lock_path.string(), std::string("cannot open the site's lock: ") + std::strerror(errno));
  // flock has no timeout: a waiting run polls. Checking often costs nothing
  // next to a build, and the wait ends soon after the holder's.
  const auto deadline = std::chrono::steady_clock::now() + wait;
  bool told = false;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) {
      std::string why = std::strerror(errno);
      ::close(fd);
      return make_environment_error(lock_path.string(), "cannot lock the site: " + why);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      const std::string holder = holder_of(fd);
      ::close(fd);
      std::string waited = wait.count() > 0 ? "still in use after waiting " + std::to_string(wait.count() / 1000) +
                                                  " s"
                                            : "in use";
      return make_error(lock_path.string(), 0,
                        "the site is " + waited + " by " + holder +
                            ": let it finish (or stop it), or pass --wait SECONDS to wait for it");
    }
    if (!told && on_wait) on_wait(holder_of(fd));
    told = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  write_note(fd, "pid " + std::to_string(::getpid()) + " (" + command + ", since " + utc_now_text() + ")\n");
  return std::unique_ptr<SiteLock>(new SiteLock(fd));
}

SiteLock::~SiteLock() {
  // The note goes first, so that nobody reads a finished run as the holder.
  write_note(fd_, "");
  ::close(fd_);
}

}  // namespace isrgen
