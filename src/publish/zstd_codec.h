// zstd compression of the remote state's snapshots (remote_state.h). A fresh
// CI runner decompresses the whole output and every run compresses it again,
// so their speed is most of what --state costs: on the bench's 10,000 pages
// (91 MB) zstd level 3 compresses in a quarter of gzip level 1's time, to
// two thirds of its size, and decompresses ten times as fast.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/error.h"

namespace isrgen::publish {

// One zstd frame holding `bytes` (its size recorded in the header), made on
// up to `threads` threads; the same bytes give the same frame whatever the
// number of threads.
std::string zstd_compress(std::string_view bytes, int level, int threads);

// The bytes the zstd frames of `compressed` hold, or an error (`what` names
// it) when they are not whole zstd data or would come to more than
// `max_bytes`: the limit holds whatever size a frame's header claims.
Result<std::string> zstd_decompress(std::string_view compressed, size_t max_bytes, const std::string& what);

}  // namespace isrgen::publish
