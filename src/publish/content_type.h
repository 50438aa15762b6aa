// The Content-Type a file is served with, by its extension; text types carry
// "; charset=utf-8" because isrgen writes UTF-8. Unknown extensions are
// application/octet-stream.
#pragma once

#include <string>
#include <string_view>

namespace isrgen::publish {

std::string content_type_for(std::string_view key);

}  // namespace isrgen::publish
