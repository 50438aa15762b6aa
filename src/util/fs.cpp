#include "util/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cerrno>
#include <cstring>

#include "util/crash_point.h"

namespace isrgen {
namespace {

std::string errno_text() { return std::strerror(errno); }

std::string temp_name_for(const fs::path& target) {
  static std::atomic<unsigned> counter{0};
  static const std::string pid = std::to_string(::getpid());
  return "." + target.filename().string() + ".tmp." + pid + "." + std::to_string(counter.fetch_add(1));
}


}  // namespace

Status write_all(int fd, std::string_view bytes, const fs::path& path) {
  const char* data = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_environment_error(path.string(), "cannot write: " + errno_text());
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Result<std::string> read_open_file(int fd, size_t size_hint, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(size_hint, max_bytes));
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return read_error("", errno);
    }
    if (n == 0) return out;
    if (out.size() + static_cast<size_t>(n) > max_bytes)
      return make_error("", 0, "the file grew past " + std::to_string(max_bytes) + " bytes while it was read");
    out.append(buffer, static_cast<size_t>(n));
  }
}

Result<std::string> read_file(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return read_error(path.string(), errno);
  struct stat st;
  size_t size = ::fstat(fd, &st) == 0 && st.st_size > 0 ? static_cast<size_t>(st.st_size) : 0;
  auto out = read_open_file(fd, size);
  ::close(fd);
  if (!out.ok()) {
    Error error = out.error();
    error.file = path.string();
    return error;
  }
  return out;
}

Error read_error(std::string file, int error_number) {
  std::string message = std::string("cannot read: ") + std::strerror(error_number);
  switch (error_number) {
    case ENOENT:
    case ENOTDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case EISDIR:
      return make_error(std::move(file), 0, std::move(message));
    default:
      return make_environment_error(std::move(file), std::move(message));
  }
}

Status write_file_atomic(const fs::path& path, std::string_view bytes, const fs::path& temp_dir) {
  std::error_code ec;
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) return make_environment_error(path.parent_path().string(), "cannot create folder: " + ec.message());
  }
  fs::path temp = (temp_dir.empty() ? path.parent_path() : temp_dir) / temp_name_for(path);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_environment_error(temp.string(), "cannot create: " + errno_text());
  // A failed write (a full disk) names the file it was for, not the
  // temporary name nobody knows.
  Status written = write_all(fd, bytes, path);
  // No fsync per file: rename is atomic for readers and for a killed process;
  // the state database commit is the durability point of a build.
  if (::close(fd) != 0 && written.ok()) written = make_environment_error(path.string(), "cannot close: " + errno_text());
  crash_point(CrashStep::kWrite);
  if (written.ok() && ::rename(temp.c_str(), path.c_str()) != 0)
    written = make_environment_error(path.string(), "cannot rename into place: " + errno_text());
  if (!written.ok()) ::unlink(temp.c_str());
  return written;
}

Status copy_file_atomic(const fs::path& source, const fs::path& path, const fs::path& temp_dir) {
  std::error_code ec;
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) return make_environment_error(path.parent_path().string(), "cannot create folder: " + ec.message());
  }
  fs::path temp = (temp_dir.empty() ? path.parent_path() : temp_dir) / temp_name_for(path);
  fs::copy_file(source, temp, fs::copy_options::overwrite_existing, ec);
  Status copied = Status::Ok();
  if (ec) copied = make_environment_error(source.string(), "cannot copy to " + temp.string() + ": " + ec.message());
  if (copied.ok()) crash_point(CrashStep::kWrite);
  if (copied.ok() && ::rename(temp.c_str(), path.c_str()) != 0)
    copied = make_environment_error(path.string(), "cannot rename into place: " + errno_text());
  if (!copied.ok()) ::unlink(temp.c_str());
  return copied;
}

void remove_file_and_empty_parents(const fs::path& path, const fs::path& stop_at) {
  std::error_code ec;
  if (fs::remove(path, ec)) crash_point(CrashStep::kDelete);
  fs::path stop = stop_at.lexically_normal();
  for (fs::path dir = path.parent_path(); !dir.empty() && dir.lexically_normal() != stop; dir = dir.parent_path()) {
    if (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec)) break;
    if (!fs::remove(dir, ec)) break;
  }
}

std::string stat_signature(const struct stat& st) {
  if (!S_ISREG(st.st_mode)) return "";
  int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return std::to_string(st.st_size) + ":" + std::to_string(mtime_ns) + ":" + std::to_string(st.st_ino);
}

namespace {

std::string signature_of(int result, const struct stat& st) { return result != 0 ? "" : stat_signature(st); }

}  // namespace

std::string file_signature(const fs::path& path) {
  struct stat st;
  int result = ::stat(path.c_str(), &st);
  return signature_of(result, st);
}

SignatureReader::SignatureReader(const fs::path& folder)
    : folder_fd_(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {}

SignatureReader::~SignatureReader() {
  if (folder_fd_ >= 0) ::close(folder_fd_);
}

std::string SignatureReader::signature(const std::string& relative) const {
  if (folder_fd_ < 0) return "";
  struct stat st;
  int result = ::fstatat(folder_fd_, relative.c_str(), &st, 0);
  return signature_of(result, st);
}

std::string relative_display(const fs::path& path, const fs::path& base) {
  std::error_code ec;
  fs::path rel = path.lexically_relative(base);
  if (rel.empty() || rel.native().starts_with("..")) return path.generic_string();
  return rel.generic_string();
}

}  // namespace isrgen
