#include "publish/zstd_codec.h"

#include <algorithm>
#include <memory>

#include <zstd.h>

namespace isrgen::publish {
namespace {

struct CContextFree {
  void operator()(ZSTD_CCtx* context) const { ZSTD_freeCCtx(context); }
};
struct DContextFree {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

}  // namespace

std::string zstd_compress(std::string_view bytes, int level, int threads) {
  std::unique_ptr<ZSTD_CCtx, CContextFree> context(ZSTD_createCCtx());
  ZSTD_CCtx_setParameter(context.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(context.get(), ZSTD_c_checksumFlag, 1);
  // Workers compress while the caller's thread feeds them; a libzstd built
  // without them refuses the setting and compresses on the caller's thread.
  if (threads > 1) ZSTD_CCtx_setParameter(context.get(), ZSTD_c_nbWorkers, threads);
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const size_t size = ZSTD_compress2(context.get(), out.data(), out.size(), bytes.data(), bytes.size());
  // The bound always fits, and the parameters are valid: ZSTD_compress2 fails
  // only when memory runs out, which the allocation above would have shown.
  out.resize(ZSTD_isError(size) ? 0 : size);
  return out;
}

Result<std::string> zstd_decompress(std::string_view compressed, size_t max_bytes, const std::string& what) {
  std::unique_ptr<ZSTD_DCtx, DContextFree> context(ZSTD_createDCtx());
  if (!context) return make_environment_error(what, "cannot start zstd");
  std::string out;
  // The header's size, when it gives one within the limit, sizes the output at
  // once; it is only a hint, so the limit is checked as the output grows.
  const unsigned long long declared = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  size_t capacity = size_t{1} << 20;
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR)
    capacity = static_cast<size_t>(std::min<unsigned long long>(declared, max_bytes)) + 1;
  out.resize(capacity);
  ZSTD_inBuffer input{compressed.data(), compressed.size(), 0};
  size_t produced = 0;
  size_t remaining = 1;  // what the last call said the frame still needs; 0 at a frame's end
  while (input.pos < input.size || remaining != 0) {
    if (produced == out.size()) {
      if (out.size() > max_bytes) break;
      out.resize(std::min(out.size() * 2, max_bytes + 1));
    }
    ZSTD_outBuffer output{out.data(), out.size(), produced};
    const size_t before = input.pos;
    remaining = ZSTD_decompressStream(context.get(), &output, &input);
    if (ZSTD_isError(remaining)) return make_error(what, 0, "is not whole zstd data");
    const bool progressed = output.pos > produced || input.pos > before;
    produced = output.pos;
    if (produced > max_bytes) break;
    if (!progressed && output.pos < output.size) return make_error(what, 0, "is not whole zstd data");
  }
  if (produced > max_bytes)
    return make_error(what, 0, "expands to more than " + std::to_string(max_bytes) + " bytes: refused");
  out.resize(produced);
  return out;
}

}  // namespace isrgen::publish
