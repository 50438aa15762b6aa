// gzip compression for rules with `gzip = true`. Deterministic (no timestamp
// or file name in the header), so the same bytes always give the same upload
// and the same ETag, and an unchanged file is never uploaded again. The
// remote build state (remote_state.h) is kept compressed the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/error.h"

namespace isrgen::publish {

// `level`: zlib's, 1 (fastest) to 9 (smallest, the default for uploads,
// compressed once and served many times).
std::string gzip_compress(std::string_view bytes, int level = 9);

// The bytes `gzip` holds, or an error (`what` names it) when they are not
// gzip or would come to more than `max_bytes`: an archive that grows a
// thousandfold is refused before it fills the memory.
Result<std::string> gzip_decompress(std::string_view gzip, size_t max_bytes, const std::string& what);

}  // namespace isrgen::publish
