#include "engine/disk.h"

#include "engine/parallel.h"
#include "site/site_paths.h"
#include "util/confined_file.h"
#include "util/fs.h"

namespace isrgen {
namespace {

fs::path temp_folder_of(const fs::path& out) { return SitePaths{{}, out, {}}.out_temp(); }

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
  return Status::Ok();
}

Result<WrittenFile> RealDisk::write(const fs::path& out, const std::string& file, std::string_view bytes,
                                    WriteMode mode) {
  const fs::path path = out / file;
  WrittenFile written;
  if (mode == WriteMode::kIfChanged) {
    auto outcome = write_file_if_changed(path, bytes, temp_folder_of(out));
    if (!outcome.ok()) return outcome.error();
    written.written = outcome.value() == WriteOutcome::kWritten;
  } else {
    if (Status replaced = write_file_atomic(path, bytes, temp_folder_of(out)); !replaced.ok()) return replaced.error();
    written.written = true;
  }
  written.signature = file_signature(path);
  return written;
}

void RealDisk::remove(const fs::path& out, const std::string& file) { remove_file_and_empty_parents(out / file, out); }

void RealDisk::finish_output(const fs::path& out) {
  std::error_code ec;
  fs::remove_all(temp_folder_of(out), ec);
}

Disk& real_disk() {
  static RealDisk disk;
  return disk;
}

}  // namespace isrgen
