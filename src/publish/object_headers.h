// The HTTP headers an object is stored with: Content-Type, Cache-Control,
// Content-Encoding when gzip-compressed, and a page's cache tags as
// x-amz-meta-cache-tag (comma-separated) and Surrogate-Key (space-separated).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "publish/deploy_config.h"

namespace isrgen::publish {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

HeaderList object_headers(const ObjectRules& rules, const std::vector<std::string>& cdn_tags);

// One line per header, for remembering exactly what an object was sent with.
std::string headers_text(const HeaderList& headers);

}  // namespace isrgen::publish
