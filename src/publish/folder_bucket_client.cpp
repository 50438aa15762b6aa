#include "publish/folder_bucket_client.h"

#include <optional>

#include "publish/digest.h"
#include "site/site_paths.h"
#include "util/folder_walk.h"
#include "util/fs.h"

namespace isrgen::publish {
namespace {

class FolderBucketClient final : public BucketClient {
 public:
  explicit FolderBucketClient(fs::path root) : root_(std::move(root)) {
    // Temporary files of interrupted writes live where a build keeps its own
    // (out/.isrgen-tmp), and are never listed.
    SitePaths paths;
    paths.out = root_;
    temp_ = paths.out_temp();
  }

  std::string describe() const override { return root_.string(); }

  Result<std::vector<RemoteObject>> list() override {
    std::vector<RemoteObject> objects;
    std::optional<Error> unreadable;
    WalkOptions options;
    const std::string temp_name = temp_.filename().string();
    options.skip = [&](const std::string& folder) { return folder == temp_name; };
    Status walked = walk_folders(
        disk_folder_lister(), root_,
        [&](const std::string& relative, const std::vector<FolderEntry>& entries) {
          for (const FolderEntry& entry : entries) {
            if (entry.type != FolderEntry::Type::kFile || unreadable) continue;
            std::string key = relative.empty() ? entry.name : relative + "/" + entry.name;
            auto digest = digest_file(root_ / key);
            if (!digest.ok()) unreadable = digest.error();
            else objects.push_back({key, digest.value().size, digest.value().md5});
          }
          return !unreadable;
        },
        options);
    if (!walked.ok()) return walked.error();
    if (unreadable) return *unreadable;
    return objects;
  }

  void upload(const std::vector<ObjectUpload>& objects, const CompletionCallback& on_done) override {
    for (size_t i = 0; i < objects.size(); ++i) on_done(i, put(objects[i]));
    std::error_code ec;
    if (fs::is_directory(temp_, ec)) fs::remove(temp_, ec);  // only when empty: nothing else is ever left there
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
    fs::create_directories(temp_, ec);
    if (ec) return make_error(temp_.string(), 0, "cannot create folder: " + ec.message());
    if (object.file.empty()) return write_file_atomic(root_ / object.key, object.body, temp_);
    return copy_file_atomic(object.file, root_ / object.key, temp_);
  }

  fs::path root_;
  fs::path temp_;
};

}  // namespace

std::unique_ptr<BucketClient> make_folder_bucket_client(std::filesystem::path root) {
  return std::make_unique<FolderBucketClient>(std::move(root));
}

}  // namespace isrgen::publish
