// BucketClient for a local folder (`--target ./public`, `file:///srv/www`):
// objects are files, written atomically; headers have nowhere to go and are
// dropped. Listing hashes every file, so it costs a read of the folder.
#pragma once

#include <filesystem>
#include <memory>

#include "publish/bucket_client.h"

namespace isrgen::publish {

std::unique_ptr<BucketClient> make_folder_bucket_client(std::filesystem::path root);

}  // namespace isrgen::publish
