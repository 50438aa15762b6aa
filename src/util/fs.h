// File access used by every module. Writes that matter are atomic: the bytes go
// to a temporary file beside the target, which is then renamed over it, so a
// reader (or a build killed half-way) never sees a half-written file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/error.h"

struct stat;

namespace isrgen {

namespace fs = std::filesystem;

Result<std::string> read_file(const fs::path& path);

// "cannot read: <reason>" at `file` for the errno an open or read failed with:
// the input's error for a path that leads nowhere (ENOENT, ENOTDIR, ELOOP,
// ENAMETOOLONG, EISDIR: fixed by editing the site), the environment's for the rest
// (EACCES, EIO, EMFILE...: fixed on the machine, exit status 3).
Error read_error(std::string file, int error_number);

// Reads what is left of the file open at `fd` (`size_hint`: its size, to
// reserve); an error once more than `max_bytes` came (a file that grew while
// read). The descriptor stays open.
Result<std::string> read_open_file(int fd, size_t size_hint, size_t max_bytes = SIZE_MAX);

// Writes all of `bytes` to the open file `fd` from where it stands (retrying
// short writes and EINTR); an error names `path`.
Status write_all(int fd, std::string_view bytes, const fs::path& path);

// Writes `bytes` to `path` atomically, creating parent folders. The temporary
// file goes into `temp_dir` when given (it must be on the same file system, e.g.
// <out>/.isrgen-tmp, so a killed process leaves its debris in one place that
// the next build clears), else beside the target.
Status write_file_atomic(const fs::path& path, std::string_view bytes, const fs::path& temp_dir = {});

// Copies the file at `source` to `path` the same way: the kernel copies it to a
// temporary name (in `temp_dir` when given, else beside the target), which is
// then renamed over `path`. Large files are never held in memory, and never
// seen half-copied.
Status copy_file_atomic(const fs::path& source, const fs::path& path, const fs::path& temp_dir = {});

// Removes `path` and then each parent folder that became empty, up to (not
// including) `stop_at`.
void remove_file_and_empty_parents(const fs::path& path, const fs::path& stop_at);

// What stat says about a regular file, as "size:mtime_ns:inode": equal
// signatures mean the file was not touched (the change detector's first test,
// before any hashing); empty when the file does not exist.
std::string file_signature(const fs::path& path);

// The signature of a file from what stat or fstat returned for it ("" when it
// is not a regular file).
std::string stat_signature(const struct stat& st);

// The same for many files below one folder: the folder is opened once and each
// file looked up relative to it, which spares the kernel walking the folder's
// own path for every file.
class SignatureReader {
 public:
  explicit SignatureReader(const fs::path& folder);
  ~SignatureReader();
  SignatureReader(const SignatureReader&) = delete;
  SignatureReader& operator=(const SignatureReader&) = delete;
  std::string signature(const std::string& relative) const;  // "" when missing

 private:
  int folder_fd_;
};

// `path` relative to `base` with '/' separators, for messages and keys.
std::string relative_display(const fs::path& path, const fs::path& base);

}  // namespace isrgen
