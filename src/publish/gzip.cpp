#include "publish/gzip.h"

#include <zlib.h>

namespace isrgen::publish {
namespace {

constexpr int kGzipWindow = 15 + 16;  // 15-bit window, gzip wrapper

}  // namespace

std::string gzip_compress(std::string_view bytes, int level) {
  z_stream stream{};
  deflateInit2(&stream, level, Z_DEFLATED, kGzipWindow, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, bytes.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

Result<std::string> gzip_decompress(std::string_view gzip, size_t max_bytes, const std::string& what) {
  z_stream stream{};
  if (inflateInit2(&stream, kGzipWindow) != Z_OK) return make_environment_error(what, "cannot start zlib");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  stream.avail_in = static_cast<uInt>(gzip.size());
  std::string out;
  char chunk[1 << 16];
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&stream);
      return make_error(what, 0, "expands to more than " + std::to_string(max_bytes) + " bytes: refused");
    }
    if (result == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  inflateEnd(&stream);
  if (result != Z_STREAM_END) return make_error(what, 0, "is not whole gzip data");
  return out;
}

}  // namespace isrgen::publish
