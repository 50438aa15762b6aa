#include "publish/page_metadata.h"

#include <nlohmann/json.hpp>

#include "util/confined_file.h"
#include "util/json_nesting.h"

namespace isrgen::publish {
namespace {

constexpr int kMaxPageMetadataDepth = 8;

}  // namespace

Result<PageMetadata> read_page_metadata(const std::filesystem::path& path) {
  auto text = read_file_beneath(path.parent_path(), path.filename(), kMaxPageMetadataBytes);
  if (!text.ok()) return make_error(path.string(), 0, text.error().message);
  // isrgen writes it 3 levels deep; deeper is not its metadata, and a walk of it would recurse.
  if (json_nesting_past(text.value(), kMaxPageMetadataDepth))
    return make_error(path.string(), 0, "the page metadata nests too deep (build the site again)");
  auto json = nlohmann::json::parse(text.value(), nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("tags") || !json["tags"].is_array())
    return make_error(path.string(), 0, "no \"tags\" list in the page metadata (build the site again)");
  PageMetadata metadata;
  for (const auto& tag : json["tags"])
    if (tag.is_string()) metadata.tags.push_back(tag.get<std::string>());
  if (auto cache = json.find("cache"); cache != json.end()) metadata.cache = CacheProfile::from_json(*cache);
  return metadata;
}

}  // namespace isrgen::publish
