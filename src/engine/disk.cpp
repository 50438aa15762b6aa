#include "engine/disk.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "engine/parallel.h"
#include "site/site_paths.h"
#include "util/confined_file.h"
#include "util/fs.h"

namespace isrgen {
namespace {

fs::path temp_folder_of(const fs::path& out) { return SitePaths{{}, out, {}}.out_temp(); }

enum class Found { kMissing, kSame, kDifferent };

// Whether the file at `path` holds exactly `bytes` (sizes compared first);
// `signature` receives its signature when it does. A link there is never
// followed: it differs, whatever it leads to, and is replaced by a file.
Found compare_with_file(const fs::path& path, std::string_view bytes, std::string& signature) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return errno == ENOENT ? Found::kMissing : Found::kDifferent;
  struct stat st;
  Found found = Found::kDifferent;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) == bytes.size()) {
    auto existing = read_open_file(fd, bytes.size(), bytes.size());
    if (existing.ok() && existing.value() == bytes) {
      found = Found::kSame;
      signature = stat_signature(st);
    }
  }
  ::close(fd);
  return found;
}

}  // namespace

std::vector<std::string> RealDisk::signatures(const fs::path& folder, const std::vector<std::string>& files,
                                              int jobs) const {
  std::vector<std::string> signatures(files.size());
  // The folder is opened once and each file stat'ed relative to it: the kernel
  // does not walk the folder's own path again for every file.
  SignatureReader reader(folder);
  parallel_for(files.size(), jobs, [&](size_t i) { signatures[i] = reader.signature(files[i]); });
  return signatures;
}

Result<std::string> RealDisk::read(const fs::path& root, const std::string& file, size_t max_bytes,
                                   std::string_view limit_setting) const {
  return read_file_beneath(root, file, max_bytes, limit_setting);
}

Status RealDisk::prepare_output(const fs::path& out) {
  const fs::path temp = temp_folder_of(out);
  std::error_code ec;
  fs::remove_all(temp, ec);
  fs::create_directories(temp, ec);
  if (ec) return make_environment_error(temp.string(), "cannot create: " + ec.message());
  std::lock_guard<std::mutex> lock(mutex_);
  writers_[out] = std::make_unique<AtomicFileWriter>(temp);
  return Status::Ok();
}

AtomicFileWriter& RealDisk::writer_for(const fs::path& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<AtomicFileWriter>& writer = writers_[out];
  if (!writer) {  // a write outside a build's prepare_output/finish_output
    std::error_code ec;
    fs::create_directories(temp_folder_of(out), ec);
    writer = std::make_unique<AtomicFileWriter>(temp_folder_of(out));
  }
  return *writer;
}

Result<WrittenFile> RealDisk::write(const fs::path& out, const std::string& file, std::string_view bytes,
                                    WriteMode mode) {
  const fs::path path = out / file;
  AtomicFileWriter& writer = writer_for(out);
  WrittenFile written{true, {}};
  // A new file is linked into place only where nothing is; what is there is
  // compared first (kIfChanged) or known to differ (kReplace).
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (mode == WriteMode::kIfChanged) {
      Found found = compare_with_file(path, bytes, written.signature);
      if (found == Found::kSame) return WrittenFile{false, std::move(written.signature)};
      mode = found == Found::kMissing ? WriteMode::kCreate : WriteMode::kReplace;
    }
    if (mode == WriteMode::kReplace) {
      auto replaced = writer.replace(path, bytes);
      if (!replaced.ok()) return replaced.error();
      written.signature = std::move(replaced.value().signature);
      return written;
    }
    AtomicFileWriter::Written created;
    auto outcome = writer.create(path, bytes, created);
    if (!outcome.ok()) return outcome.error();
    if (outcome.value() == AtomicFileWriter::Created::kCreated) {
      written.signature = std::move(created.signature);
      return written;
    }
    mode = WriteMode::kIfChanged;  // a file appeared since the caller looked
  }
  auto replaced = writer.replace(path, bytes);
  if (!replaced.ok()) return replaced.error();
  written.signature = std::move(replaced.value().signature);
  return written;
}

void RealDisk::remove(const fs::path& out, const std::string& file) { remove_file_and_empty_parents(out / file, out); }

void RealDisk::finish_output(const fs::path& out) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    writers_.erase(out);
  }
  std::error_code ec;
  fs::remove_all(temp_folder_of(out), ec);
}

Disk& real_disk() {
  static RealDisk disk;
  return disk;
}

}  // namespace isrgen
