#include "serve/webhook_auth.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "util/ascii.h"
#include "util/base64.h"
#include "util/hex.h"
#include "util/hmac.h"
#include "util/text.h"

namespace isrgen::serve {
namespace {

Error refusal(std::string reason) { return make_error("", 0, std::move(reason)); }

Error mismatch() { return refusal("signature does not match"); }

// 64 hex digits as a digest. The length is that of any SHA-256, public
// knowledge, so rejecting other lengths early tells an attacker nothing.
std::optional<Sha256Digest> parse_digest(std::string_view hex) {
  auto bytes = hex_decode(hex);
  if (!bytes || bytes->size() != Sha256Digest().size()) return std::nullopt;
  Sha256Digest digest;
  std::copy(bytes->begin(), bytes->end(), digest.begin());
  return digest;
}

// HTTP's optional whitespace around list items and parameters.
constexpr std::string_view kOptionalWhitespace = " \t";

Status check_github(std::string_view body, std::string_view header, std::string_view secret) {
  constexpr std::string_view kPrefix = "sha256=";
  std::optional<Sha256Digest> given;
  if (header.starts_with(kPrefix)) given = parse_digest(header.substr(kPrefix.size()));
  if (!given) return refusal("malformed X-Hub-Signature-256: expected sha256=<64 hex digits>");
  if (!digests_equal(*given, hmac_sha256(secret, body))) return mismatch();
  return Status::Ok();
}

// Whole non-negative seconds, digits only, as both timestamped schemes send them.
std::optional<int64_t> parse_unix_seconds(std::string_view text) {
  int64_t seconds = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, seconds);
  if (text.empty() || text.front() == '-' || error != std::errc() || stop != end) return std::nullopt;
  return seconds;
}

// Checked after the signature, so an unsigned request learns nothing about the clock.
Status check_fresh(int64_t unix_seconds, const Clock& clock, int64_t tolerance_seconds) {
  int64_t skew = clock.now_unix_ms() / 1000 - unix_seconds;
  if (skew > tolerance_seconds || skew < -tolerance_seconds)
    return refusal("timestamp outside the " + std::to_string(tolerance_seconds) + " s tolerance");
  return Status::Ok();
}

// Every candidate is compared, so the time taken does not say which matched.
bool any_matches(const std::vector<Sha256Digest>& candidates, const Sha256Digest& expected) {
  bool matched = false;
  for (const Sha256Digest& candidate : candidates) matched |= digests_equal(candidate, expected);
  return matched;
}

struct TimestampedSignature {
  std::string_view timestamp;  // as sent: the signed text contains it verbatim
  int64_t unix_seconds = 0;
  std::vector<Sha256Digest> candidates;
};

std::optional<TimestampedSignature> parse_timestamped(std::string_view header) {
  TimestampedSignature parsed;
  bool has_timestamp = false;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = trim(header.substr(0, comma), kOptionalWhitespace);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (item.starts_with("t=")) {
      if (has_timestamp) return std::nullopt;
      parsed.timestamp = item.substr(2);
      auto seconds = parse_unix_seconds(parsed.timestamp);
      if (!seconds) return std::nullopt;
      parsed.unix_seconds = *seconds;
      has_timestamp = true;
    } else if (item.starts_with("v1=")) {
      auto digest = parse_digest(item.substr(3));
      if (!digest) return std::nullopt;
      parsed.candidates.push_back(*digest);
    }
  }
  if (!has_timestamp || parsed.candidates.empty()) return std::nullopt;
  return parsed;
}

Status check_timestamped(std::string_view body, std::string_view header, std::string_view secret, const Clock& clock,
                         int64_t tolerance_seconds) {
  auto parsed = parse_timestamped(header);
  if (!parsed) return refusal("malformed X-Isrgen-Signature: expected t=<unix seconds>,v1=<64 hex digits>");
  std::string signed_text;
  signed_text.reserve(parsed->timestamp.size() + 1 + body.size());
  signed_text.append(parsed->timestamp).append(".").append(body);
  if (!any_matches(parsed->candidates, hmac_sha256(secret, signed_text))) return mismatch();
  return check_fresh(parsed->unix_seconds, clock, tolerance_seconds);
}

// The HMAC key of a Standard Webhooks secret: a whsec_<base64> secret stands
// for the bytes its base64 decodes to; any other secret is used as it is.
std::optional<std::string> standard_webhooks_key(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (!secret.starts_with(kPrefix)) return std::string(secret);
  auto bytes = base64_decode(secret.substr(kPrefix.size()));
  if (!bytes || bytes->empty()) return std::nullopt;
  return std::string(bytes->begin(), bytes->end());
}

// The v1 entries of webhook-signature ("v1,<base64>" separated by spaces);
// other versions (v1a, an asymmetric scheme) are skipped. nullopt when a v1
// entry is not a base64 SHA-256 or there is none.
std::optional<std::vector<Sha256Digest>> parse_standard_signatures(std::string_view header) {
  std::vector<Sha256Digest> candidates;
  while (!header.empty()) {
    size_t space = header.find(' ');
    std::string_view entry = header.substr(0, space);
    header = space == std::string_view::npos ? std::string_view() : header.substr(space + 1);
    if (!entry.starts_with("v1,")) continue;
    auto bytes = base64_decode(entry.substr(3));
    if (!bytes || bytes->size() != Sha256Digest().size()) return std::nullopt;
    Sha256Digest digest;
    std::copy(bytes->begin(), bytes->end(), digest.begin());
    candidates.push_back(digest);
  }
  if (candidates.empty()) return std::nullopt;
  return candidates;
}

// Standard Webhooks (standardwebhooks.com): the HMAC covers
// "<webhook-id>.<webhook-timestamp>.<body>", so neither header can be swapped.
Status check_standard(std::string_view body, const Headers& headers, std::string_view signature_header,
                      std::string_view secret, const Clock& clock, int64_t tolerance_seconds) {
  auto id = find_header(headers, "webhook-id");
  auto timestamp = find_header(headers, "webhook-timestamp");
  if (!id || id->empty() || !timestamp)
    return refusal("webhook-signature needs webhook-id and webhook-timestamp beside it (Standard Webhooks)");
  auto unix_seconds = parse_unix_seconds(*timestamp);
  if (!unix_seconds) return refusal("malformed webhook-timestamp: expected unix seconds");
  auto candidates = parse_standard_signatures(signature_header);
  if (!candidates)
    return refusal("malformed webhook-signature: expected v1,<base64 HMAC-SHA256> entries separated by spaces");
  auto key = standard_webhooks_key(secret);
  if (!key) return refusal("the webhook secret starts with whsec_ but the rest is not base64: set the whole secret "
                           "the sender shows");
  std::string signed_text;
  signed_text.reserve(id->size() + 1 + timestamp->size() + 1 + body.size());
  signed_text.append(*id).append(".").append(*timestamp).append(".").append(body);
  if (!any_matches(*candidates, hmac_sha256(*key, signed_text))) return mismatch();
  return check_fresh(*unix_seconds, clock, tolerance_seconds);
}

Status check_bearer(std::string_view header, std::string_view secret) {
  constexpr std::string_view kScheme = "Bearer ";
  bool is_bearer = equals_ignoring_ascii_case(header.substr(0, kScheme.size()), kScheme);  // RFC 9110: any case
  std::string_view token = is_bearer ? trim(header.substr(kScheme.size()), kOptionalWhitespace) : std::string_view();
  if (token.empty()) return refusal("malformed Authorization: expected Bearer <token>");
  if (!strings_equal_constant_time(token, secret)) return refusal("token does not match");
  return Status::Ok();
}

}  // namespace

Result<WebhookScheme> authenticate_webhook(std::string_view body, const Headers& headers, std::string_view secret,
                                           const Clock& clock, int64_t tolerance_seconds) {
  // With no secret every check below would compare against a key anyone knows.
  if (secret.empty()) return refusal("webhook secret not configured");
  auto passed = [](Status status, WebhookScheme scheme) -> Result<WebhookScheme> {
    if (!status) return status.error();
    return scheme;
  };
  if (auto header = find_header(headers, "X-Hub-Signature-256"))
    return passed(check_github(body, *header, secret), WebhookScheme::kGitHub);
  if (auto header = find_header(headers, "X-Isrgen-Signature"))
    return passed(check_timestamped(body, *header, secret, clock, tolerance_seconds), WebhookScheme::kTimestamped);
  if (auto header = find_header(headers, "webhook-signature"))
    return passed(check_standard(body, headers, *header, secret, clock, tolerance_seconds),
                  WebhookScheme::kStandardWebhooks);
  if (auto header = find_header(headers, "Authorization"))
    return passed(check_bearer(*header, secret), WebhookScheme::kBearer);
  return refusal(
      "no signature header (X-Hub-Signature-256, X-Isrgen-Signature, webhook-signature or Authorization: Bearer)");
}

}  // namespace isrgen::serve
