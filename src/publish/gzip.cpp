#include "publish/gzip.h"

#include <algorithm>

#include <zlib.h>

namespace isrgen::publish {
namespace {

constexpr int kGzipWindow = 15 + 16;  // 15-bit window, gzip wrapper

}  // namespace

std::string gzip_compress(std::string_view bytes, int level) {
  z_stream stream{};
  deflateInit2(&stream, level, Z_DEFLATED, kGzipWindow, 9, Z_DEFAULT_STRATEGY);
  std::string out;
  // zlib counts what it is given in 32 bits: the input goes in steps, so a
  // snapshot past 4 GiB is compressed whole, not cut short.
  constexpr size_t kStep = size_t{1} << 30;
  size_t given = 0;
  char chunk[1 << 16];
  int result = Z_OK;
  while (result == Z_OK || result == Z_BUF_ERROR) {
    if (stream.avail_in == 0 && given < bytes.size()) {
      const size_t take = std::min(bytes.size() - given, kStep);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + given));
      stream.avail_in = static_cast<uInt>(take);
      given += take;
    }
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    result = deflate(&stream, given == bytes.size() ? Z_FINISH : Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
  }
  deflateEnd(&stream);
  return out;
}

Result<std::string> gzip_decompress(std::string_view gzip, size_t max_bytes, const std::string& what) {
  z_stream stream{};
  if (inflateInit2(&stream, kGzipWindow) != Z_OK) return make_environment_error(what, "cannot start zlib");
  // The compressed bytes go in steps, as for gzip_compress.
  constexpr size_t kStep = size_t{1} << 30;
  size_t given = 0;
  auto feed = [&] {
    const size_t take = std::min(gzip.size() - given, kStep);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data() + given));
    stream.avail_in = static_cast<uInt>(take);
    given += take;
  };
  feed();
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
    if (stream.avail_in == 0 && given < gzip.size()) {
      feed();
      if (result == Z_BUF_ERROR) result = Z_OK;
    }
    if (result == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  inflateEnd(&stream);
  if (result != Z_STREAM_END) return make_error(what, 0, "is not whole gzip data");
  return out;
}

}  // namespace isrgen::publish
