// Atomic writes of many files into one folder tree (a build's output), at the
// least cost the file system allows. No reader, and no process killed at any
// moment, ever sees a half-written file at a target path:
//
// - A new file is written into an unnamed inode (O_TMPFILE) in its own folder
//   and linked into place once complete: no temporary name, no rename, and a
//   killed process leaves nothing behind.
// - A file that is there is replaced by exchanging it (renameat2 with
//   RENAME_EXCHANGE) with a complete "spare" file in the temporary folder. The
//   old inode lands on the spare's name and becomes the spare of a later
//   replacement: rewritten in place (its blocks reused) and exchanged again.
//   Replacing 20,000 files then allocates and frees no inode and no block,
//   where a rename over each would free 20,000 of each. That matters most on
//   ext4 without a journal, which will not reuse an inode freed in the last
//   minute or more and steps past each such inode on every allocation (each
//   rename over a file slows every later creation), and on disks mounted with
//   online discard, where each freed block is trimmed.
// - A spare is recycled only while nothing else can see its bytes: one link,
//   owned by this process's user, with the mode of a file this writer created,
//   and no other open descriptor anywhere (a write lease, F_SETLEASE, is
//   granted only then). A reader that opened the old file before it was
//   replaced (a web server sending it) thus keeps reading the old bytes, as
//   after a rename; the spare is then dropped and a fresh one made.
//
// Where the file system lacks O_TMPFILE (or /proc is not mounted, which
// linking an unnamed inode needs) or RENAME_EXCHANGE, the writer falls back to
// a temporary file renamed into place, as write_file_atomic does.
//
// No fsync per file: the caller's state commit is the durability point.
// One writer may be used from several threads at once.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace isrgen {

// What the file system lets a writer use; tests turn features off to reach
// the fallbacks.
struct WriterFeatures {
  bool unnamed_files = true;  // O_TMPFILE, linked through /proc/self/fd
  bool exchange = true;       // renameat2(RENAME_EXCHANGE)
  bool recycle = true;        // rewrite exchanged-out inodes for later replacements
};

class AtomicFileWriter {
 public:
  enum class Created { kCreated, kExists };

  struct Written {
    std::string signature;  // stat signature (util/fs.h) of the file now at the path
  };

  // `temp_dir`: an existing folder on the targets' file system, for spares
  // and fallback temporaries; only this writer uses it, and the caller
  // removes it (with what a killed writer left) when done.
  explicit AtomicFileWriter(std::filesystem::path temp_dir, WriterFeatures features = {});

  // Writes `bytes` to `path` unless something is there already (then
  // kExists, and nothing changed), creating missing parent folders. `written`
  // receives the new file's signature.
  Result<Created> create(const std::filesystem::path& path, std::string_view bytes, Written& written);

  // Replaces the file at `path` with `bytes` (or creates it, if it is gone).
  // A folder at `path` is an error and is left in place.
  Result<Written> replace(const std::filesystem::path& path, std::string_view bytes);

  // Spares waiting to be recycled (for tests and reports).
  size_t spare_count() const;

 private:
  struct Spare {
    std::string path;
    int fd = -1;  // open for writing, holding a lease-checked, recyclable inode
  };

  // A spare open for writing: a recycled one when one passes recyclable(),
  // else a new file in the temporary folder.
  Result<Spare> take_spare();
  void give_back(std::string path);
  // Whether the open spare may be rewritten; takes its write lease if so.
  bool recyclable(int fd, const struct stat& st);
  // Writes `bytes` into the spare and closes it (unlinking it on failure).
  Result<std::string> complete(Spare& spare, std::string_view bytes, const std::filesystem::path& path);
  Result<Created> link_spare(Spare& spare, const std::filesystem::path& path, std::string_view bytes,
                             Written& written);
  Result<Written> exchange_spare(Spare& spare, const std::filesystem::path& path, std::string_view bytes);

  const std::filesystem::path temp_dir_;
  WriterFeatures features_;
  mutable std::mutex mutex_;
  std::vector<std::string> spares_;  // exchanged-out inodes, newest last
  unsigned next_name_ = 0;
  mode_t created_mode_ = 0;  // the mode of the spares this writer created (0: none yet)
  std::atomic<bool> exchange_works_{true};
  std::atomic<bool> unnamed_files_work_{true};
};

}  // namespace isrgen
