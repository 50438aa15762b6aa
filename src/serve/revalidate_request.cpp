#include "serve/revalidate_request.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "serve/tenant_resolution.h"
#include "site/url_lookup.h"
#include "util/hex.h"
#include "util/json_nesting.h"

namespace isrgen::serve {
namespace {

using nlohmann::json;

Error bad_request(std::string message) { return make_error("", 0, std::move(message)); }

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

// The path part of a webhook path: after the host of an absolute URL, before
// any query or fragment (url_lookup.h drops those).
std::string_view path_part(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    size_t path_start = url.find('/', scheme_end + 3);
    url = path_start == std::string_view::npos ? std::string_view() : url.substr(path_start);
  }
  return url.substr(0, url.find_first_of("?#"));
}

// An escape that hides a separator, a dot, a control byte or another escape:
// whatever decodes it later would see a path other than the one checked here.
bool has_hiding_escape(std::string_view path) {
  for (size_t at = path.find('%'); at != std::string_view::npos; at = path.find('%', at + 1)) {
    std::optional<std::vector<unsigned char>> byte = hex_decode(path.substr(at + 1, 2));
    if (!byte || byte->size() != 1) continue;
    unsigned char c = byte->front();
    if (c == '.' || c == '/' || c == '\\' || c == '%' || c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Paths name pages inside the site: a "." or ".." segment, a backslash or an
// escape of either could make a later step look outside the tenant's folder.
Status check_path(const SiteConfig& config, const std::string& path) {
  if (has_control_character(path)) return bad_request("contains a control character");
  std::string_view inside = path_part(path);
  if (inside.starts_with('/')) inside.remove_prefix(1);
  if (inside.find('\\') != std::string_view::npos)
    return bad_request("'" + path + "' contains a backslash: only paths inside the site can be revalidated");
  if (has_hiding_escape(inside))
    return bad_request("'" + path +
                       "' has a percent-encoded '.', '/', '\\', '%' or control character: send the path as "
                       "the page's URL, unencoded");
  if (!is_clean_relative_path(inside))
    return bad_request("'" + path + "' has an empty, '.' or '..' segment: only paths inside the site can be revalidated");
  auto resolved = resolve_url(config, path);
  if (!resolved) return resolved.error();
  return Status::Ok();
}

// The strings under `key`, each passing `check`; errors are prefixed "key[i]: ".
template <class Check>
Result<std::vector<std::string>> string_list(const json& document, const std::string& key, Check check) {
  std::vector<std::string> items;
  auto found = document.find(key);
  if (found == document.end()) return items;
  if (!found->is_array()) return bad_request("'" + key + "' must be an array of strings");
  for (size_t i = 0; i < found->size(); ++i) {
    const json& item = (*found)[i];
    std::string where = key + "[" + std::to_string(i) + "]: ";
    if (!item.is_string()) return bad_request(where + "must be a string, not " + item.type_name());
    Status status = check(item.get<std::string>());
    if (!status) return bad_request(where + status.error().message);
    items.push_back(item.get<std::string>());
  }
  return items;
}

Status too_many(size_t entries, size_t max_entries) {
  return bad_request("too many entries: " + std::to_string(entries) + " tags and paths, at most " +
                     std::to_string(max_entries) + " per request");
}

bool is_own_shape(const json& document) {
  return std::all_of(document.items().begin(), document.items().end(),
                     [](const auto& item) { return item.key() == "tags" || item.key() == "paths"; });
}

Result<RevalidateRequest> map_request(const json& document, std::span<const MapRule> map, size_t max_entries) {
  auto tags = map_payload(document, map);
  if (!tags) return tags.error();
  if (tags.value().size() > max_entries) return too_many(tags.value().size(), max_entries).error();
  return RevalidateRequest{std::move(tags).value(), {}};
}

}  // namespace

Status check_tag(const std::string& tag) {
  if (tag.empty()) return bad_request("a tag is empty");
  if (tag.size() > kMaxTagBytes) return bad_request("longer than " + std::to_string(kMaxTagBytes) + " bytes");
  if (has_control_character(tag)) return bad_request("contains a control character");
  return Status::Ok();
}

Result<RevalidateRequest> parse_revalidate_request(std::string_view body, const SiteConfig& config,
                                                   std::span<const MapRule> map, size_t max_entries) {
  // {"tags": [...], "paths": [...]} nests two deep; a body of 64 KiB of '['
  // is refused before a parser sees it. A CMS's own payload nests deeper:
  // a Contentful rich-text field holding a list reaches 14 levels.
  constexpr int kMaxBodyDepth = 8;
  constexpr int kMaxMappedBodyDepth = 32;
  if (map.empty() && json_nesting_past(body, kMaxBodyDepth))
    return bad_request("the body nests deeper than " + std::to_string(kMaxBodyDepth) +
                       " levels: send {\"tags\": [...], \"paths\": [...]}");
  if (json_nesting_past(body, kMaxMappedBodyDepth))
    return bad_request("the body nests deeper than " + std::to_string(kMaxMappedBodyDepth) + " levels");
  json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return bad_request("the body is not JSON");
  if (!document.is_object()) return bad_request("the body must be a JSON object: {\"tags\": [...], \"paths\": [...]}");
  if (!map.empty() && !is_own_shape(document)) return map_request(document, map, max_entries);
  for (const auto& [key, value] : document.items())
    if (key != "tags" && key != "paths")
      return bad_request("unknown key '" + key +
                         "': only \"tags\" and \"paths\" (a CMS's own payload needs [[serve.map]] rules in "
                         "content/site.toml)");
  // Counted before each entry is checked, so an oversized request costs little.
  size_t entries = 0;
  for (const char* key : {"tags", "paths"})
    if (document.contains(key) && document[key].is_array()) entries += document[key].size();
  if (entries > max_entries) return too_many(entries, max_entries).error();
  auto tags = string_list(document, "tags", check_tag);
  if (!tags) return tags.error();
  auto paths = string_list(document, "paths", [&](const std::string& path) { return check_path(config, path); });
  if (!paths) return paths.error();
  if (tags.value().empty() && paths.value().empty()) return bad_request("nothing to revalidate: no tags and no paths");
  return RevalidateRequest{std::move(tags).value(), std::move(paths).value()};
}

Result<std::optional<std::string>> delivery_id(const Headers& headers, WebhookScheme scheme) {
  // The signature covers webhook-id: an unsigned header beside it could be
  // changed by whoever replays a captured request within the tolerance, and
  // the replay would pass as a new delivery.
  static constexpr std::array<const char*, 1> kSigned = {"webhook-id"};
  static constexpr std::array<const char*, 3> kAny = {"X-GitHub-Delivery", "webhook-id", "Idempotency-Key"};
  std::span<const char* const> names = scheme == WebhookScheme::kStandardWebhooks ? std::span<const char* const>(kSigned)
                                                                                   : std::span<const char* const>(kAny);
  for (const char* name : names) {
    auto value = find_header(headers, name);
    if (!value) continue;
    if (value->empty() || value->size() > kMaxDeliveryIdBytes || has_control_character(*value))
      return bad_request(std::string(name) + " must be 1 to " + std::to_string(kMaxDeliveryIdBytes) +
                         " printable bytes");
    return std::optional<std::string>(std::string(*value));
  }
  return std::optional<std::string>();
}

}  // namespace isrgen::serve
