// The engine's disk for tests: does everything on the real disk (a scratch
// folder) and remembers what it was asked, so a test can tell which files a
// build stat'ed, read, wrote, left alone or removed; and a write to a chosen
// file fails as on a full disk.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine/disk.h"

namespace isrgen {

class RecordingDisk final : public Disk {
 public:
  struct Write {
    std::string file;  // relative to the output folder
    WriteMode mode;
    bool written;  // false: left alone (or failed)
  };

  std::vector<std::string> signatures(const std::filesystem::path& folder, const std::vector<std::string>& files,
                                      int jobs) const override {
    {
      std::lock_guard lock(mutex_);
      stated_.insert(stated_.end(), files.begin(), files.end());
    }
    return real_.signatures(folder, files, jobs);
  }

  Result<std::string> read(const std::filesystem::path& root, const std::string& file, size_t max_bytes,
                           std::string_view limit_setting) const override {
    {
      std::lock_guard lock(mutex_);
      read_.push_back(file);
    }
    return real_.read(root, file, max_bytes, limit_setting);
  }

  Status prepare_output(const std::filesystem::path& out) override {
    std::lock_guard lock(mutex_);
    ++prepared_;
    return real_.prepare_output(out);
  }

  Result<WrittenFile> write(const std::filesystem::path& out, const std::string& file, std::string_view bytes,
                            WriteMode mode) override {
    std::lock_guard lock(mutex_);
    if (failing_.contains(file)) {
      writes_.push_back({file, mode, false});
      return make_environment_error((out / file).string(), "cannot write: No space left on device");
    }
    auto written = real_.write(out, file, bytes, mode);
    writes_.push_back({file, mode, written.ok() && written.value().written});
    return written;
  }

  void remove(const std::filesystem::path& out, const std::string& file) override {
    std::lock_guard lock(mutex_);
    removed_.push_back(file);
    real_.remove(out, file);
  }

  void finish_output(const std::filesystem::path& out) override {
    std::lock_guard lock(mutex_);
    ++finished_;
    real_.finish_output(out);
  }

  // Writes to `file` (relative to the output folder) fail from now on.
  void fail_writes_to(const std::string& file) {
    std::lock_guard lock(mutex_);
    failing_.insert(file);
  }

  // Forgets what was asked so far (not the failing files).
  void clear() {
    std::lock_guard lock(mutex_);
    stated_.clear();
    read_.clear();
    writes_.clear();
    removed_.clear();
    prepared_ = finished_ = 0;
  }

  std::vector<std::string> stated() const { return locked(stated_); }
  std::vector<std::string> reads() const { return locked(read_); }
  std::vector<Write> writes() const { return locked(writes_); }
  std::vector<std::string> removed() const { return locked(removed_); }
  // The files written (not left alone), in order.
  std::vector<std::string> written_files() const {
    std::vector<std::string> files;
    for (const Write& write : writes())
      if (write.written) files.push_back(write.file);
    return files;
  }
  int prepared() const { return locked(prepared_); }
  int finished() const { return locked(finished_); }

 private:
  template <class T>
  T locked(const T& value) const {
    std::lock_guard lock(mutex_);
    return value;
  }

  RealDisk real_;
  mutable std::mutex mutex_;
  mutable std::vector<std::string> stated_;
  mutable std::vector<std::string> read_;
  std::vector<Write> writes_;
  std::vector<std::string> removed_;
  std::set<std::string> failing_;
  int prepared_ = 0;
  int finished_ = 0;
};

}  // namespace isrgen
