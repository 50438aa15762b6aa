// What `isrgen --version` prints.
#pragma once

#include <string>

namespace isrgen {

// "isrgen <version> (commit <hash>)" and, one per line, the versions of the
// libraries this process runs with (cmark-gfm, SQLite, libcurl and its TLS
// library, libyaml: asked at run time) and of toml++'s headers.
std::string version_text();

}  // namespace isrgen
