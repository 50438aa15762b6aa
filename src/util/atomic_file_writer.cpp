#include "util/atomic_file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "util/crash_point.h"
#include "util/fs.h"

namespace isrgen {
namespace {

std::string errno_text(int error_number) { return std::strerror(error_number); }

Error write_error(const fs::path& path, const std::string& what, int error_number) {
  return make_environment_error(path.string(), what + ": " + errno_text(error_number));
}

// The errors by which a file system says it lacks a feature (rather than that
// the call failed).
bool unsupported(int error_number) {
  return error_number == EOPNOTSUPP || error_number == ENOTSUP || error_number == EINVAL ||
         error_number == ENOSYS || error_number == EISDIR;
}

Status make_parent_folders(const fs::path& path) {
  // Most often only the last folder is missing (a new page's own folder): one
  // mkdir, without create_directories' stat of every level first.
  if (::mkdir(path.parent_path().c_str(), 0755) == 0 || errno == EEXIST) return Status::Ok();
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return make_environment_error(path.parent_path().string(), "cannot create folder: " + ec.message());
  return Status::Ok();
}

// A lease break sends SIGIO to the lease holder, which by default ends the
// process. A writer holds a lease only while it rewrites a spare nobody else
// has open, so a break can come only from someone opening that very spare in
// that instant; they wait for the write to finish, and isrgen must live on.
void survive_lease_breaks() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (::sigaction(SIGIO, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) std::signal(SIGIO, SIG_IGN);
  });
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(fs::path temp_dir, WriterFeatures features)
    : temp_dir_(std::move(temp_dir)), features_(features) {
  if (features_.recycle) survive_lease_breaks();
}

size_t AtomicFileWriter::spare_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return spares_.size();
}

bool AtomicFileWriter::recyclable(int fd, const struct stat& st) {
  if (!S_ISREG(st.st_mode) || st.st_nlink != 1 || st.st_uid != ::geteuid()) return false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!features_.recycle || created_mode_ == 0 || (st.st_mode & 07777) != created_mode_) return false;
  }
  // Granted only when no other descriptor, in any process, has the file open;
  // held until the spare is closed, so nobody opens it half-rewritten.
  if (::fcntl(fd, F_SETLEASE, F_WRLCK) == 0) return true;
  if (errno != EAGAIN && errno != EBUSY) {  // leases unavailable here: recycling cannot be made safe
    std::lock_guard<std::mutex> lock(mutex_);
    features_.recycle = false;
  }
  return false;
}

Result<AtomicFileWriter::Spare> AtomicFileWriter::take_spare() {
  for (;;) {
    std::string path;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (spares_.empty()) break;
      path = std::move(spares_.back());
      spares_.pop_back();
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && ::fstat(fd, &st) == 0 && recyclable(fd, st)) return Spare{std::move(path), fd};
    if (fd >= 0) ::close(fd);
    ::unlink(path.c_str());  // someone still reads it, or it is not ours to rewrite: it goes
  }
  for (;;) {
    std::string path;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      path = (temp_dir_ / ("spare." + std::to_string(::getpid()) + "." + std::to_string(next_name_++))).string();
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) continue;  // left by an earlier process with this pid
    if (fd < 0) return write_error(temp_dir_, "cannot create a temporary file", errno);
    struct stat st;
    if (::fstat(fd, &st) == 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (created_mode_ == 0) created_mode_ = st.st_mode & 07777;
    }
    return Spare{std::move(path), fd};
  }
}

void AtomicFileWriter::give_back(std::string path) {
  std::lock_guard<std::mutex> lock(mutex_);
  spares_.push_back(std::move(path));
}

// Writes `bytes` over what the open file `fd` held (its blocks reused, the
// tail cut) and returns its signature; `path` names it in errors.
// (`fd` was just opened: it stands at the start.)
static Result<std::string> fill(int fd, std::string_view bytes, const fs::path& path) {
  if (Status written = write_all(fd, bytes, path); !written.ok()) return written.error();
  struct stat st;
  if (::fstat(fd, &st) != 0) return write_error(path, "cannot stat", errno);
  if (static_cast<size_t>(st.st_size) > bytes.size()) {
    if (::ftruncate(fd, static_cast<off_t>(bytes.size())) != 0) return write_error(path, "cannot truncate", errno);
    if (::fstat(fd, &st) != 0) return write_error(path, "cannot stat", errno);
  }
  return stat_signature(st);
}

Result<std::string> AtomicFileWriter::complete(Spare& spare, std::string_view bytes, const fs::path& path) {
  auto signature = fill(spare.fd, bytes, path);
  const int closed = ::close(spare.fd);
  const int close_error = errno;
  spare.fd = -1;
  if (signature.ok() && closed != 0) signature = write_error(path, "cannot close", close_error);
  if (!signature.ok()) {
    ::unlink(spare.path.c_str());
    return signature.error();
  }
  crash_point(CrashStep::kWrite);
  return signature;
}

// Moves the complete spare to `path` (a name it must not take from another
// file: link, then drop the spare's name), making missing folders.
Result<AtomicFileWriter::Created> AtomicFileWriter::link_spare(Spare& spare, const fs::path& path,
                                                               std::string_view bytes, Written& written) {
  auto signature = complete(spare, bytes, path);
  if (!signature.ok()) return signature.error();
  int linked = ::link(spare.path.c_str(), path.c_str());
  if (linked != 0 && errno == ENOENT) {
    if (Status made = make_parent_folders(path); !made.ok()) {
      ::unlink(spare.path.c_str());
      return made.error();
    }
    linked = ::link(spare.path.c_str(), path.c_str());
  }
  const int error_number = errno;
  if (linked != 0 && error_number == EEXIST) {
    give_back(std::move(spare.path));
    return Created::kExists;
  }
  ::unlink(spare.path.c_str());
  if (linked != 0) return write_error(path, "cannot move into place", error_number);
  written.signature = signature.value();
  return Created::kCreated;
}

// Puts the complete spare at `path`: exchanged with the file there (which
// becomes a spare), or renamed over it where exchanging is not possible.
Result<AtomicFileWriter::Written> AtomicFileWriter::exchange_spare(Spare& spare, const fs::path& path,
                                                                   std::string_view bytes) {
  auto signature = complete(spare, bytes, path);
  if (!signature.ok()) return signature.error();
  if (features_.exchange && exchange_works_) {
    if (::renameat2(AT_FDCWD, spare.path.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) == 0) {
      // The spare's name now holds what was at `path`: a folder (which a
      // rename over it would have refused) goes back; a file is the next spare.
      struct stat back;
      if (::fstatat(AT_FDCWD, spare.path.c_str(), &back, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(back.st_mode)) {
        ::renameat2(AT_FDCWD, spare.path.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE);
        ::unlink(spare.path.c_str());
        return make_environment_error(path.string(), "cannot replace a folder with a file: move the folder away");
      }
      if (S_ISREG(back.st_mode)) give_back(std::move(spare.path));
      else ::unlink(spare.path.c_str());
      return Written{signature.value()};
    }
    if (errno != ENOENT && unsupported(errno) && errno != EISDIR) exchange_works_ = false;
  }
  int renamed = ::rename(spare.path.c_str(), path.c_str());
  if (renamed != 0 && errno == ENOENT) {
    if (Status made = make_parent_folders(path); !made.ok()) {
      ::unlink(spare.path.c_str());
      return made.error();
    }
    renamed = ::rename(spare.path.c_str(), path.c_str());
  }
  if (renamed != 0) {
    const int error_number = errno;
    ::unlink(spare.path.c_str());
    return write_error(path, error_number == EISDIR ? "cannot replace a folder with a file" : "cannot move into place",
                       error_number);
  }
  return Written{signature.value()};
}

Result<AtomicFileWriter::Created> AtomicFileWriter::create(const fs::path& path, std::string_view bytes,
                                                           Written& written) {
  if (features_.unnamed_files && unnamed_files_work_) {
    const fs::path folder = path.parent_path();
    int fd = ::open(folder.c_str(), O_WRONLY | O_TMPFILE | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT) {
      if (Status made = make_parent_folders(path); !made.ok()) return made.error();
      fd = ::open(folder.c_str(), O_WRONLY | O_TMPFILE | O_CLOEXEC, 0644);
    }
    if (fd < 0 && !unsupported(errno)) return write_error(path, "cannot create", errno);
    if (fd < 0) {
      unnamed_files_work_ = false;  // a benign race: every thread learns the same
    } else {
      auto signature = fill(fd, bytes, path);
      if (!signature.ok()) {
        ::close(fd);
        return signature.error();
      }
      crash_point(CrashStep::kWrite);
      char proc_path[40];
      std::snprintf(proc_path, sizeof proc_path, "/proc/self/fd/%d", fd);
      int linked = ::linkat(AT_FDCWD, proc_path, AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW);
      int error_number = errno;
      ::close(fd);
      if (linked == 0) {
        written.signature = signature.value();
        return Created::kCreated;
      }
      if (error_number == EEXIST) return Created::kExists;
      // No /proc, or a file system that makes unnamed inodes but will not
      // link them: named temporaries from now on, which fail in their own
      // words if the trouble is elsewhere (a full disk).
      unnamed_files_work_ = false;
    }
  }
  auto spare = take_spare();
  if (!spare.ok()) return spare.error();
  return link_spare(spare.value(), path, bytes, written);
}

Result<AtomicFileWriter::Written> AtomicFileWriter::replace(const fs::path& path, std::string_view bytes) {
  auto spare = take_spare();
  if (!spare.ok()) return spare.error();
  return exchange_spare(spare.value(), path, bytes);
}

}  // namespace isrgen
