// gzip compression for the test HTTP server, which sends compressed bodies
// so the fetcher's decoding and its limit on decoded bytes can be tested.
#pragma once

#include <string>
#include <string_view>

namespace isrgen::testing {

std::string gzip_compress(std::string_view data);  // a complete gzip member (RFC 1952)

}  // namespace isrgen::testing
