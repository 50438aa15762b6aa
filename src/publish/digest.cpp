#include "publish/digest.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "util/hex.h"

namespace isrgen::publish {
namespace {

std::string digest_hex(const EVP_MD* type, std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, type, nullptr);
  return hex_encode(digest, length);
}

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::string final_hex(EVP_MD_CTX* context) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digest, &length);
  return hex_encode(digest, length);
}

}  // namespace

std::string md5_hex(std::string_view bytes) { return digest_hex(EVP_md5(), bytes); }
std::string sha256_hex(std::string_view bytes) { return digest_hex(EVP_sha256(), bytes); }

Result<FileDigest> digest_file(const std::filesystem::path& path, bool with_sha256) {
  std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return make_error(path.string(), 0, std::string("cannot read: ") + std::strerror(errno));
  DigestContext md5(EVP_MD_CTX_new(), &EVP_MD_CTX_free), sha256(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr);
  if (with_sha256) EVP_DigestInit_ex(sha256.get(), EVP_sha256(), nullptr);
  FileDigest result;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    EVP_DigestUpdate(md5.get(), buffer, n);
    if (with_sha256) EVP_DigestUpdate(sha256.get(), buffer, n);
    result.size += static_cast<int64_t>(n);
  }
  if (std::ferror(file.get())) return make_error(path.string(), 0, "read error");
  result.md5 = final_hex(md5.get());
  if (with_sha256) result.sha256 = final_hex(sha256.get());
  return result;
}

}  // namespace isrgen::publish
