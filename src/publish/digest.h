// Cryptographic digests the publisher needs (OpenSSL libcrypto): MD5 is what
// S3 reports as the ETag of a single-part upload, SHA-256 signs payloads.
// All printed as lower-case hex. (HMAC-SHA256 lives in util/hmac.h.)
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/error.h"

namespace isrgen::publish {

std::string md5_hex(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

struct FileDigest {
  int64_t size = 0;
  std::string md5;
  std::string sha256;  // empty when not asked for
};

// The digests of a file in one streamed pass (large files are never held in
// memory). SHA-256 costs more than MD5 and is only needed to send the file, so
// a caller deciding whether a file changed asks for MD5 alone.
Result<FileDigest> digest_file(const std::filesystem::path& path, bool with_sha256 = true);

}  // namespace isrgen::publish
