// The body of POST /revalidate, {"tags": [...], "paths": [...]}, checked
// before anything is queued so a bad request is a 400 at once, not a failed
// job later. Paths must be URLs of the site (site/url_lookup.h): an absolute
// URL on a tenant's base_url or /<tenant>/... , with no ".", ".." or empty
// segment, no backslash and no percent-escape of those or of a control
// character. Errors quote the offending entry by its key and index ("paths[2]: ...").
// [[serve.map]] rules turn a CMS's own payload into tags instead.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "serve/headers.h"
#include "serve/payload_map.h"
#include "serve/webhook_auth.h"
#include "site/site_config.h"
#include "util/error.h"

namespace isrgen::serve {

inline constexpr size_t kDefaultMaxRevalidateEntries = 1000;  // tags and paths together
inline constexpr size_t kMaxTagBytes = 256;
inline constexpr size_t kMaxDeliveryIdBytes = 256;

struct RevalidateRequest {
  std::vector<std::string> tags;
  std::vector<std::string> paths;  // as sent; each resolves to a tenant URL
};

// With `map` rules, a JSON object holding keys other than "tags" and "paths"
// is a CMS's own payload and becomes tags by those rules (payload_map.h).
Result<RevalidateRequest> parse_revalidate_request(std::string_view body, const SiteConfig& config,
                                                   std::span<const MapRule> map = {},
                                                   size_t max_entries = kDefaultMaxRevalidateEntries);

// What every tag passes, sent or mapped: not empty, at most 256 bytes, no
// control character. The error says which, without quoting the tag.
Status check_tag(const std::string& tag);

// The sender's id of this delivery, so a redelivered webhook is recognised:
// under Standard Webhooks the signed webhook-id alone; otherwise
// X-GitHub-Delivery, else webhook-id, else Idempotency-Key; nullopt when none
// is sent. An id that is empty, over 256 bytes or holds control characters is
// an error.
Result<std::optional<std::string>> delivery_id(const Headers& headers, WebhookScheme scheme);

}  // namespace isrgen::serve
