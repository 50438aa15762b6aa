#include "serve/webhook_auth.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "util/ascii.h"
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
      const char* end = parsed.timestamp.data() + parsed.timestamp.size();
      auto [stop, error] = std::from_chars(parsed.timestamp.data(), end, parsed.unix_seconds);
      if (parsed.timestamp.empty() || parsed.timestamp.front() == '-' || error != std::errc() || stop != end)
        return std::nullopt;
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
  Sha256Digest expected = hmac_sha256(secret, signed_text);
  // Every candidate is compared, so the time taken does not say which matched.
  bool matched = false;
  for (const Sha256Digest& candidate : parsed->candidates) matched |= digests_equal(candidate, expected);
  if (!matched) return mismatch();
  int64_t now_seconds = clock.now_unix_ms() / 1000;
  int64_t skew = now_seconds - parsed->unix_seconds;
  if (skew > tolerance_seconds || skew < -tolerance_seconds)
    return refusal("timestamp outside the " + std::to_string(tolerance_seconds) + " s tolerance");
  return Status::Ok();
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

Status authenticate_webhook(std::string_view body, const Headers& headers, std::string_view secret,
                            const Clock& clock, int64_t tolerance_seconds) {
  // With no secret every check below would compare against a key anyone knows.
  if (secret.empty()) return refusal("webhook secret not configured");
  if (auto header = find_header(headers, "X-Hub-Signature-256")) return check_github(body, *header, secret);
  if (auto header = find_header(headers, "X-Isrgen-Signature"))
    return check_timestamped(body, *header, secret, clock, tolerance_seconds);
  if (auto header = find_header(headers, "Authorization")) return check_bearer(*header, secret);
  return refusal("no signature header (X-Hub-Signature-256, X-Isrgen-Signature or Authorization: Bearer)");
}

}  // namespace isrgen::serve
