#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "publish/digest.h"
#include "publish/state_bucket.h"
#include "util/fs.h"

namespace isrgen::publish {
namespace {

class FolderStateBucket final : public StateBucket {
 public:
  explicit FolderStateBucket(std::filesystem::path folder) : folder_(std::move(folder)) {}

  std::string describe() const override { return "file://" + folder_.string(); }

  Result<std::optional<StoredObject>> get(const std::string& key) override {
    std::error_code ec;
    if (!std::filesystem::exists(folder_ / key, ec)) return std::optional<StoredObject>();
    if (std::filesystem::file_size(folder_ / key, ec) > static_cast<uintmax_t>(kMaxStateObjectBytes))
      return make_error((folder_ / key).string(), 0, "larger than any state object isrgen writes: refused");
    auto bytes = read_file(folder_ / key);
    if (!bytes.ok()) return bytes.error();
    std::string etag = md5_hex(bytes.value());
    return std::optional<StoredObject>(StoredObject{std::move(bytes.value()), std::move(etag)});
  }

  Result<std::optional<std::string>> put(const std::string& key, const std::string& bytes,
                                         const PutCondition& condition) override {
    const std::filesystem::path path = folder_ / key;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return make_environment_error(path.parent_path().string(), "cannot create the folder: " + ec.message());
    if (condition.kind == PutCondition::kAlways) {
      if (Status written = write_file_atomic(path, bytes); !written.ok()) return written.error();
      return std::optional<std::string>(md5_hex(bytes));
    }
    auto lock = lock_folder();
    if (!lock.ok()) return lock.error();
    auto current = get(key);
    if (!current.ok()) return current.error();
    const bool holds = condition.kind == PutCondition::kIfAbsent ? !current.value().has_value()
                                                                 : current.value() && current.value()->etag == condition.etag;
    if (!holds) return std::optional<std::string>();
    if (Status written = write_file_atomic(path, bytes); !written.ok()) return written.error();
    return std::optional<std::string>(md5_hex(bytes));
  }

  Status remove(const std::string& key) override {
    std::error_code ec;
    std::filesystem::remove(folder_ / key, ec);
    if (ec) return make_environment_error((folder_ / key).string(), "cannot remove: " + ec.message());
    return Status::Ok();
  }

 private:
  // The folder's write lock, let go when the descriptor closes.
  struct FolderLock {
    int fd = -1;
    explicit FolderLock(int descriptor) : fd(descriptor) {}
    FolderLock(FolderLock&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
    ~FolderLock() {
      if (fd >= 0) ::close(fd);
    }
  };

  Result<FolderLock> lock_folder() {
    const std::filesystem::path path = folder_ / ".isrgen-state.lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return make_environment_error(path.string(), std::string("cannot open: ") + std::strerror(errno));
    FolderLock lock(fd);
    while (::flock(fd, LOCK_EX) != 0)
      if (errno != EINTR) return make_environment_error(path.string(), std::string("cannot lock: ") + std::strerror(errno));
    return lock;
  }

  std::filesystem::path folder_;
};

}  // namespace

std::unique_ptr<StateBucket> make_folder_state_bucket(std::filesystem::path folder) {
  return std::make_unique<FolderStateBucket>(std::move(folder));
}

}  // namespace isrgen::publish
