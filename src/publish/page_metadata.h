// What sync and the ISR origin read of a page's index.metadata.json: the
// dependency tags it travels with as cache tags, and the cache profile its
// caching headers come from.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "site/cache_profile.h"
#include "util/error.h"

namespace isrgen::publish {

// Far past the metadata of any page; a larger file is refused, not read.
inline constexpr size_t kMaxPageMetadataBytes = 16 << 20;

struct PageMetadata {
  std::vector<std::string> tags;
  std::optional<CacheProfile> cache;  // none in metadata written before pages recorded a profile
};

// Reads the metadata at `path` (a regular file in its folder, not a link out of
// it); a file without a "tags" list is an error that says to build again.
Result<PageMetadata> read_page_metadata(const std::filesystem::path& path);

}  // namespace isrgen::publish
