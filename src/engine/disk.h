// The file operations of a build, behind one seam (as ninja's DiskInterface):
// stat signatures, confined reads, atomic writes into the output folder and
// removals from it. Every stat, write and removal of the engine goes through
// here, and so do its reads of changed inputs and of static files to copy
// (page files and templates are read by the renderer's own loaders, site.toml
// by site/site_config.h). Tests watch or fail any of them; where temporary
// files go and how a written file's signature is learned are RealDisk's
// business alone.
//
// Paths are a folder (the site root or the output folder) and a '/'-separated
// path relative to it. Every operation may be called from several threads at
// once (pages render and write in parallel).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "util/atomic_file_writer.h"
#include "util/error.h"

namespace isrgen {

enum class WriteMode {
  kIfChanged,  // leave a file that already holds the bytes alone (same inode, same mtime)
  kReplace,    // the caller knows the bytes differ: write without reading the file back
  kCreate,     // the caller saw no file there: write it, and only if one appeared since, as kIfChanged
};

struct WrittenFile {
  bool written = false;   // false: the file held the bytes already and was left alone
  std::string signature;  // stat signature of the file now at the path
};

class Disk {
 public:
  virtual ~Disk() = default;

  // The stat signatures ("size:mtime_ns:inode", util/fs.h) of `files` below
  // `folder`, in order; "" for one that is missing or not a regular file.
  // Up to `jobs` threads stat at once.
  virtual std::vector<std::string> signatures(const std::filesystem::path& folder,
                                              const std::vector<std::string>& files, int jobs) const = 0;

  // Reads `root / file` when it leads, links followed, to a regular file
  // beneath `root` of at most `max_bytes` (SIZE_MAX: any size; see
  // util/confined_file.h); else an error at `file` that says why, naming
  // `limit_setting` for a large file.
  virtual Result<std::string> read(const std::filesystem::path& root, const std::string& file, size_t max_bytes,
                                   std::string_view limit_setting) const = 0;

  // Readies `out` for a build's writes and clears what a killed build left
  // half-written. An error (an environment error naming the folder) means
  // nothing in `out` was touched.
  virtual Status prepare_output(const std::filesystem::path& out) = 0;

  // Writes `out / file` so that no reader ever sees it half-written, creating
  // its folders; the error names `file`'s full path.
  virtual Result<WrittenFile> write(const std::filesystem::path& out, const std::string& file, std::string_view bytes,
                                    WriteMode mode) = 0;

  // Removes `out / file`, then each parent folder that became empty, below `out`.
  virtual void remove(const std::filesystem::path& out, const std::string& file) = 0;

  // After the build is recorded: removes what prepare_output made.
  virtual void finish_output(const std::filesystem::path& out) = 0;

  // signatures() of one file.
  std::string signature(const std::filesystem::path& folder, const std::string& file) const {
    return signatures(folder, {file}, 1).front();
  }
};

// The machine's file system: util/fs.h, util/confined_file.h, and for the
// writes into an output folder util/atomic_file_writer.h (new files linked
// into place whole, replaced files exchanged with recycled spares). Spares
// and temporary files go to <out>/.isrgen-tmp (SitePaths::out_temp), which
// prepare_output empties and finish_output removes.
class RealDisk final : public Disk {
 public:
  std::vector<std::string> signatures(const std::filesystem::path& folder, const std::vector<std::string>& files,
                                      int jobs) const override;
  Result<std::string> read(const std::filesystem::path& root, const std::string& file, size_t max_bytes,
                           std::string_view limit_setting) const override;
  Status prepare_output(const std::filesystem::path& out) override;
  Result<WrittenFile> write(const std::filesystem::path& out, const std::string& file, std::string_view bytes,
                            WriteMode mode) override;
  void remove(const std::filesystem::path& out, const std::string& file) override;
  void finish_output(const std::filesystem::path& out) override;

 private:
  // The writer of the output folder `out`, made on first use.
  AtomicFileWriter& writer_for(const std::filesystem::path& out);

  std::mutex mutex_;
  std::map<std::filesystem::path, std::unique_ptr<AtomicFileWriter>> writers_;
};

// The one RealDisk every build uses unless told otherwise (its only state is
// the writers of the output folders being built).
Disk& real_disk();

}  // namespace isrgen
