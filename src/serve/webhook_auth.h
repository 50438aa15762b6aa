// Whether a webhook request comes from someone who knows the shared secret.
// Four ways to prove it, checked in this order (the first header present
// decides, so a request cannot pick the weakest of several):
//
//   X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>        (GitHub)
//   X-Isrgen-Signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<body>">   (Stripe-like)
//       t within `tolerance_seconds` of the clock, so a captured request
//       cannot be replayed later; several v1= values allowed while a
//       secret is rotated; other schemes (v0=...) are ignored.
//   webhook-signature: v1,<base64 HMAC of "<webhook-id>.<webhook-timestamp>.<body>">
//       with webhook-id and webhook-timestamp beside it (Standard Webhooks);
//       the same tolerance as t=, several space-separated entries allowed,
//       other versions (v1a,...) ignored. A secret written whsec_<base64> is
//       keyed by the bytes its base64 decodes to, any other by itself.
//   Authorization: Bearer <token>, the token being the secret itself.
//
// Every comparison takes the same time wherever the inputs differ. A refusal
// carries a reason for the 401 body that never contains the secret or the
// signature expected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "serve/headers.h"
#include "util/clock.h"
#include "util/error.h"

namespace isrgen::serve {

inline constexpr int64_t kDefaultSignatureToleranceSeconds = 300;

// Which of the four proofs a request passed. The delivery id a sender signed
// (Standard Webhooks' webhook-id) is only trustworthy under its own scheme.
enum class WebhookScheme { kGitHub, kTimestamped, kStandardWebhooks, kBearer };

// The scheme the request proved it knows the secret by, or the refusal.
Result<WebhookScheme> authenticate_webhook(std::string_view body, const Headers& headers, std::string_view secret,
                            const Clock& clock, int64_t tolerance_seconds = kDefaultSignatureToleranceSeconds);

}  // namespace isrgen::serve
