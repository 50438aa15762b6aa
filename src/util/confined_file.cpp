#include "util/confined_file.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/fs.h"

namespace isrgen {
namespace {

namespace fs = std::filesystem;

bool beneath(const std::string& real, const std::string& folder) {
  return real.size() > folder.size() + 1 && real.starts_with(folder) && real[folder.size()] == '/';
}

// True when `real`, the real path of an opened file, lies beneath `root`. The
// root as given is tried first (a real path never runs through a link, so a
// match is a true one): a site folder reached through no link then costs no
// realpath(3), which stats every component of the path.
bool opened_beneath(const std::string& real, const fs::path& root) {
  if (beneath(real, root.native())) return true;
  std::optional<std::string> real_root = real_folder(root);
  return real_root && beneath(real, *real_root);
}

}  // namespace

std::optional<std::string> real_path_of(int fd) {
  char link[PATH_MAX];
  std::string proc = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = ::readlink(proc.c_str(), link, sizeof link);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof link) return std::nullopt;
  return std::string(link, static_cast<size_t>(n));
}

std::optional<std::string> real_folder(const fs::path& folder) {
  char* resolved = ::realpath(folder.c_str(), nullptr);
  if (!resolved) return std::nullopt;
  std::string result(resolved);
  std::free(resolved);
  return result;
}

Result<std::string> read_file_beneath(const fs::path& root, const fs::path& relative, size_t max_bytes,
                                      std::string_view limit_setting) {
  const std::string display = relative.generic_string();
  fs::path lexical = (root / relative).lexically_normal();
  fs::path inside = lexical.lexically_relative(root);
  if (relative.is_absolute() || inside.empty() || *inside.begin() == "..")
    return make_error(display, 0, "path leads outside the site folder; name a file inside it");
  // O_NONBLOCK: a FIFO must not hang the build (it is refused below).
  int fd = ::open(lexical.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return read_error(display, errno);
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  std::optional<std::string> real = real_path_of(fd);
  if (!real)
    return make_error(display, 0, "cannot tell where the file leads (is /proc mounted?); refused so that no link "
                                  "can lead outside the site");
  if (!opened_beneath(*real, root))
    return make_error(display, 0, "symbolic link to a file outside the site (" + *real +
                                      ") refused: copy the file into the site, or link to one inside it");
  struct stat st {};
  if (::fstat(fd, &st) != 0) return read_error(display, errno);
  if (!S_ISREG(st.st_mode)) return make_error(display, 0, "not a regular file; refused");
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    return make_error(display, 0, "the file has " + std::to_string(st.st_size) + " bytes, over the limit of " +
                                      std::to_string(max_bytes) + " (" + std::string(limit_setting) + ")");
  auto bytes = read_open_file(fd, static_cast<size_t>(st.st_size), max_bytes);
  if (!bytes.ok()) {
    Error error = bytes.error();
    error.file = display;
    return error;
  }
  return bytes;
}

}  // namespace isrgen
