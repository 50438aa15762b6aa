// Whether a webhook request comes from someone who knows the shared secret.
// Three ways to prove it, checked in this order (the first header present
// decides, so a request cannot pick the weakest of several):
//
//   X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>        (GitHub)
//   X-Isrgen-Signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<body>">   (Stripe-like)
//       t within `tolerance_seconds` of the clock, so a captured request
//       cannot be replayed later; several v1= values allowed while a
//       secret is rotated; other schemes (v0=...) are ignored.
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

Status authenticate_webhook(std::string_view body, const Headers& headers, std::string_view secret,
                            const Clock& clock, int64_t tolerance_seconds = kDefaultSignatureToleranceSeconds);

}  // namespace isrgen::serve
