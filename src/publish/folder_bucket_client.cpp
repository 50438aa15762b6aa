#include "publish/folder_bucket_client.h"

#include <unistd.h>

#include "publish/digest.h"
#include "util/fs.h"

namespace isrgen::publish {
namespace {

// Temporary files of interrupted writes live here and are never listed.
constexpr const char* kTempFolder = ".isrgen-tmp";

class FolderBucketClient final : public BucketClient {
 public:
  explicit FolderBucketClient(fs::path root) : root_(std::move(root)) {}

  std::string describe() const override { return root_.string(); }

  Result<std::vector<RemoteObject>> list() override {
    std::vector<RemoteObject> objects;
    std::error_code ec;
    if (!fs::exists(root_, ec)) return objects;
    for (auto it = fs::recursive_directory_iterator(root_, ec); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_directory() && it->path().filename() == kTempFolder) {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      auto digest = digest_file(it->path());
      if (!digest.ok()) return digest.error();
      objects.push_back({relative_display(it->path(), root_), digest.value().size, digest.value().md5});
    }
    if (ec) return make_error(root_.string(), 0, "cannot list: " + ec.message());
    return objects;
  }

  void upload(const std::vector<ObjectUpload>& objects, const CompletionCallback& on_done) override {
    for (size_t i = 0; i < objects.size(); ++i) on_done(i, put(objects[i]));
    std::error_code ec;
    fs::remove(root_ / kTempFolder, ec);  // only when empty: nothing else is ever left there
  }

  void remove(const std::vector<std::string>& keys, const CompletionCallback& on_done) override {
    for (size_t i = 0; i < keys.size(); ++i) {
      remove_file_and_empty_parents(root_ / keys[i], root_);
      on_done(i, Status::Ok());
    }
  }

 private:
  Status put(const ObjectUpload& object) {
    std::error_code ec;
    fs::create_directories(root_ / kTempFolder, ec);
    if (object.file.empty()) return write_file_atomic(root_ / object.key, object.body, root_ / kTempFolder);
    // A file is copied by the kernel to a temporary name and renamed into
    // place: large files are never held in memory, and never seen half-copied.
    fs::path target = root_ / object.key;
    fs::path temp = root_ / kTempFolder / (std::to_string(::getpid()) + "." + std::to_string(next_temp_++));
    fs::create_directories(target.parent_path(), ec);
    fs::copy_file(object.file, temp, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::rename(temp, target, ec);
    if (ec) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      return make_error(target.string(), 0, "cannot write: " + ec.message());
    }
    return Status::Ok();
  }

  fs::path root_;
  uint64_t next_temp_ = 0;
};

}  // namespace

std::unique_ptr<BucketClient> make_folder_bucket_client(std::filesystem::path root) {
  return std::make_unique<FolderBucketClient>(std::move(root));
}

}  // namespace isrgen::publish
