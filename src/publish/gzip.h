// gzip compression for rules with `gzip = true`. Deterministic (no timestamp
// or file name in the header), so the same bytes always give the same upload
// and the same ETag, and an unchanged file is never uploaded again.
#pragma once

#include <string>
#include <string_view>

namespace isrgen::publish {

std::string gzip_compress(std::string_view bytes);

}  // namespace isrgen::publish
