// Every way a webhook proves itself, and every way it can fail to.
#include "serve/webhook_auth.h"

#include <catch2/catch.hpp>

#include "test_support.h"
#include "util/hmac.h"

using namespace isrgen;
using namespace isrgen::serve;

namespace {

constexpr int64_t kNow = 1'763'700'000;  // unix seconds the tests' clock shows
const std::string kSecret = "It's a Secret to Everybody";
const std::string kBody = "Hello, World!";
const std::string kGitHubSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

std::string stripe_header(int64_t timestamp, const std::string& body, const std::vector<std::string>& secrets) {
  std::string header = "t=" + std::to_string(timestamp);
  for (const std::string& secret : secrets)
    header += ",v1=" + hmac_sha256_hex(secret, std::to_string(timestamp) + "." + body);
  return header;
}

// Standard Webhooks' own example, checked with python3: hmac.new(base64.b64decode(secret[6:]),
// b'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}', hashlib.sha256), base64-encoded.
const std::string kWhsecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kStandardId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kStandardTimestamp = 1'614'265'330;
const std::string kStandardBody = R"({"test": 2432232314})";
const std::string kStandardSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

// A plain (non-whsec_) secret keys the HMAC with its own bytes; checked with python3:
// hmac.new(b"It's a Secret to Everybody", b'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1763700000.Hello, World!',
// hashlib.sha256), base64-encoded.
const std::string kPlainStandardSignature = "v1,7wFj2PCxgk1wMwiXU3VLZnxTmJES45Tk1tF2xLgQxRo=";

Headers standard_headers(const std::string& id, int64_t timestamp, const std::string& signature) {
  return {{"webhook-id", id}, {"webhook-timestamp", std::to_string(timestamp)}, {"webhook-signature", signature}};
}

// "v1,<base64>" of the HMAC over "<id>.<timestamp>.<body>" keyed by `key`.
std::string standard_signature(const std::string& key, const std::string& id, int64_t timestamp,
                               const std::string& body) {
  Sha256Digest digest = hmac_sha256(key, id + "." + std::to_string(timestamp) + "." + body);
  return "v1," + testing::base64_of(digest.data(), digest.size());
}

std::string refusal(const Result<WebhookScheme>& outcome) {
  return outcome.ok() ? "(accepted)" : outcome.error().message;
}

}  // namespace

TEST_CASE("webhook auth: GitHub's documented example verifies") {
  ManualClock clock(kNow * 1000);
  CHECK(authenticate_webhook(kBody, {{"X-Hub-Signature-256", kGitHubSignature}}, kSecret, clock).value() ==
        WebhookScheme::kGitHub);
  // Upper-case hex and any case of the header name are the same signature.
  std::string upper = "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17";
  CHECK(authenticate_webhook(kBody, {{"x-hub-signature-256", upper}}, kSecret, clock).ok());
  CHECK(authenticate_webhook(kBody, {{"X-HUB-SIGNATURE-256", kGitHubSignature}}, kSecret, clock).ok());
}

TEST_CASE("webhook auth: GitHub signature with a wrong secret or a tampered body") {
  ManualClock clock(kNow * 1000);
  Headers headers{{"X-Hub-Signature-256", kGitHubSignature}};
  CHECK(refusal(authenticate_webhook(kBody, headers, "another secret", clock)) == "signature does not match");
  CHECK(refusal(authenticate_webhook("Hello, World?", headers, kSecret, clock)) == "signature does not match");
  CHECK(refusal(authenticate_webhook(kBody + " ", headers, kSecret, clock)) == "signature does not match");
}

TEST_CASE("webhook auth: malformed GitHub signatures") {
  ManualClock clock(kNow * 1000);
  std::string hex = kGitHubSignature.substr(7);
  for (const std::string& value : {hex,                                   // no sha256=
                                   "sha1=" + hex, "SHA256=" + hex,        // another or miscased scheme
                                   "sha256=" + hex.substr(1),             // odd length
                                   "sha256=" + hex.substr(2),             // too short
                                   "sha256=" + hex + "00",                // too long
                                   "sha256=" + hex.substr(0, 62) + "zz",  // not hex
                                   std::string("sha256="), std::string()}) {
    INFO(value);
    CHECK(refusal(authenticate_webhook(kBody, {{"X-Hub-Signature-256", value}}, kSecret, clock)) ==
          "malformed X-Hub-Signature-256: expected sha256=<64 hex digits>");
  }
}

TEST_CASE("webhook auth: no signature header at all") {
  ManualClock clock(kNow * 1000);
  std::string expected =
      "no signature header (X-Hub-Signature-256, X-Isrgen-Signature, webhook-signature or Authorization: Bearer)";
  CHECK(refusal(authenticate_webhook(kBody, {}, kSecret, clock)) == expected);
  // GitHub's legacy SHA-1 header is not accepted on its own.
  CHECK(refusal(authenticate_webhook(kBody, {{"X-Hub-Signature", "sha1=abc"}}, kSecret, clock)) == expected);
}

TEST_CASE("webhook auth: timestamped signature and the edges of its tolerance") {
  ManualClock clock(kNow * 1000);
  auto check = [&](int64_t timestamp) {
    return authenticate_webhook(kBody, {{"X-Isrgen-Signature", stripe_header(timestamp, kBody, {kSecret})}}, kSecret,
                                clock);
  };
  CHECK(check(kNow).ok());
  CHECK(check(kNow - 300).ok());
  CHECK(check(kNow + 300).ok());
  CHECK(refusal(check(kNow - 301)) == "timestamp outside the 300 s tolerance");
  CHECK(refusal(check(kNow + 301)) == "timestamp outside the 300 s tolerance");
  // Within the same second the clock's milliseconds do not matter.
  clock.advance_ms(999);
  CHECK(check(kNow - 300).ok());
  clock.advance_ms(1);
  CHECK_FALSE(check(kNow - 300).ok());
}

TEST_CASE("webhook auth: the tolerance is a parameter") {
  ManualClock clock(kNow * 1000);
  Headers headers{{"x-isrgen-signature", stripe_header(kNow - 60, kBody, {kSecret})}};
  CHECK(authenticate_webhook(kBody, headers, kSecret, clock, 60).ok());
  CHECK(refusal(authenticate_webhook(kBody, headers, kSecret, clock, 59)) == "timestamp outside the 59 s tolerance");
}

TEST_CASE("webhook auth: timestamped signature with a wrong secret, tampered body or moved timestamp") {
  ManualClock clock(kNow * 1000);
  Headers headers{{"X-Isrgen-Signature", stripe_header(kNow, kBody, {kSecret})}};
  CHECK(refusal(authenticate_webhook(kBody, headers, "another secret", clock)) == "signature does not match");
  CHECK(refusal(authenticate_webhook("tampered", headers, kSecret, clock)) == "signature does not match");
  // The timestamp is signed: changing it to look fresh breaks the signature.
  std::string old = stripe_header(kNow - 1000, kBody, {kSecret});
  std::string moved = "t=" + std::to_string(kNow) + old.substr(old.find(','));
  CHECK(refusal(authenticate_webhook(kBody, {{"X-Isrgen-Signature", moved}}, kSecret, clock)) ==
        "signature does not match");
}

TEST_CASE("webhook auth: several v1 values while a secret is rotated") {
  ManualClock clock(kNow * 1000);
  Headers both{{"X-Isrgen-Signature", stripe_header(kNow, kBody, {"old secret", "new secret"})}};
  CHECK(authenticate_webhook(kBody, both, "old secret", clock).ok());
  CHECK(authenticate_webhook(kBody, both, "new secret", clock).ok());
  CHECK(refusal(authenticate_webhook(kBody, both, "third secret", clock)) == "signature does not match");
  // Other schemes and spaces after commas are tolerated.
  std::string spaced = "t=" + std::to_string(kNow) + ", v0=abc, v1=" +
                       hmac_sha256_hex(kSecret, std::to_string(kNow) + "." + kBody);
  CHECK(authenticate_webhook(kBody, {{"X-Isrgen-Signature", spaced}}, kSecret, clock).ok());
}

TEST_CASE("webhook auth: malformed timestamped signatures") {
  ManualClock clock(kNow * 1000);
  std::string good = stripe_header(kNow, kBody, {kSecret});
  std::string v1 = good.substr(good.find(",v1="));
  std::string t = "t=" + std::to_string(kNow);
  for (const std::string& value : {v1.substr(1),                  // no t=
                                   t,                             // no v1=
                                   "t=abc" + v1, "t=-5" + v1,     // not unix seconds
                                   "t=" + v1, "t=12x" + v1,       // empty or trailing garbage
                                   "t=99999999999999999999" + v1,  // overflow
                                   t + "," + t + v1,              // two timestamps
                                   t + ",v1=" + v1.substr(5),     // odd-length hex
                                   t + ",v1=" + std::string(64, 'g'), std::string()}) {
    INFO(value);
    CHECK(refusal(authenticate_webhook(kBody, {{"X-Isrgen-Signature", value}}, kSecret, clock)) ==
          "malformed X-Isrgen-Signature: expected t=<unix seconds>,v1=<64 hex digits>");
  }
}

TEST_CASE("webhook auth: Bearer token right, wrong or empty") {
  ManualClock clock(kNow * 1000);
  auto check = [&](const std::string& value) {
    return authenticate_webhook(kBody, {{"authorization", value}}, kSecret, clock);
  };
  CHECK(check("Bearer " + kSecret).ok());
  CHECK(check("bearer " + kSecret).ok());
  CHECK(refusal(check("Bearer wrong")) == "token does not match");
  CHECK(refusal(check("Bearer " + kSecret + "x")) == "token does not match");
  CHECK(refusal(check("Bearer " + kSecret.substr(1))) == "token does not match");
  CHECK(refusal(check("Bearer ")) == "malformed Authorization: expected Bearer <token>");
  CHECK(refusal(check("Bearer")) == "malformed Authorization: expected Bearer <token>");
  CHECK(refusal(check("Basic " + kSecret)) == "malformed Authorization: expected Bearer <token>");
  CHECK(refusal(check("")) == "malformed Authorization: expected Bearer <token>");
}

TEST_CASE("webhook auth: the first header present decides") {
  ManualClock clock(kNow * 1000);
  // A good Bearer token does not rescue a bad body signature sent alongside it.
  Headers headers{{"Authorization", "Bearer " + kSecret}, {"X-Hub-Signature-256", "sha256=" + std::string(64, '0')}};
  CHECK(refusal(authenticate_webhook(kBody, headers, kSecret, clock)) == "signature does not match");
}

TEST_CASE("webhook auth: an empty secret accepts nothing") {
  ManualClock clock(kNow * 1000);
  CHECK_FALSE(authenticate_webhook(kBody, {{"Authorization", "Bearer "}}, "", clock).ok());
  Headers signed_with_empty{{"X-Hub-Signature-256", "sha256=" + hmac_sha256_hex("", kBody)}};
  CHECK_FALSE(authenticate_webhook(kBody, signed_with_empty, "", clock).ok());
}

TEST_CASE("webhook auth: no refusal reveals the secret or the expected signature") {
  ManualClock clock(kNow * 1000);
  std::string expected_hex = kGitHubSignature.substr(7);
  std::string expected_v1 = hmac_sha256_hex(kSecret, std::to_string(kNow) + "." + kBody);
  for (const Headers& headers : std::vector<Headers>{
           {{"X-Hub-Signature-256", "sha256=" + std::string(64, 'a')}},
           {{"X-Hub-Signature-256", "bad"}},
           {{"X-Isrgen-Signature", "t=" + std::to_string(kNow) + ",v1=" + std::string(64, 'a')}},
           {{"X-Isrgen-Signature", stripe_header(kNow - 999, kBody, {kSecret})}},
           {{"Authorization", "Bearer nope"}},
           {}}) {
    std::string reason = refusal(authenticate_webhook(kBody, headers, kSecret, clock));
    CHECK(reason.find(kSecret) == std::string::npos);
    CHECK(reason.find(expected_hex) == std::string::npos);
    CHECK(reason.find(expected_v1) == std::string::npos);
  }
}

TEST_CASE("webhook auth: Standard Webhooks' example with its whsec_ secret verifies") {
  ManualClock clock(kStandardTimestamp * 1000);
  Headers headers = standard_headers(kStandardId, kStandardTimestamp, kStandardSignature);
  CHECK(authenticate_webhook(kStandardBody, headers, kWhsecSecret, clock).value() == WebhookScheme::kStandardWebhooks);
  // Header names in any case, as HTTP/2 senders lower-case them and others do not.
  Headers capitalised{{"Webhook-Id", kStandardId},
                      {"Webhook-Timestamp", std::to_string(kStandardTimestamp)},
                      {"Webhook-Signature", kStandardSignature}};
  CHECK(authenticate_webhook(kStandardBody, capitalised, kWhsecSecret, clock).ok());
  // The whsec_ secret is not its own key: used as plain bytes it signs something else.
  std::string as_plain = standard_signature(kWhsecSecret, kStandardId, kStandardTimestamp, kStandardBody);
  CHECK(refusal(authenticate_webhook(kStandardBody, standard_headers(kStandardId, kStandardTimestamp, as_plain),
                                     kWhsecSecret, clock)) == "signature does not match");
}

TEST_CASE("webhook auth: Standard Webhooks with a plain secret") {
  ManualClock clock(kNow * 1000);
  const std::string id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  CHECK(authenticate_webhook(kBody, standard_headers(id, kNow, kPlainStandardSignature), kSecret, clock).ok());
  CHECK(standard_signature(kSecret, id, kNow, kBody) == kPlainStandardSignature);
}

TEST_CASE("webhook auth: Standard Webhooks' id, timestamp and body are all signed") {
  ManualClock clock(kStandardTimestamp * 1000);
  auto check = [&](const std::string& id, int64_t timestamp, const std::string& body) {
    return refusal(
        authenticate_webhook(body, standard_headers(id, timestamp, kStandardSignature), kWhsecSecret, clock));
  };
  CHECK(check(kStandardId, kStandardTimestamp, kStandardBody) == "(accepted)");
  CHECK(check("msg_another", kStandardTimestamp, kStandardBody) == "signature does not match");
  CHECK(check(kStandardId, kStandardTimestamp + 1, kStandardBody) == "signature does not match");
  CHECK(check(kStandardId, kStandardTimestamp, R"({"test": 2432232315})") == "signature does not match");
  CHECK(refusal(authenticate_webhook(kStandardBody, standard_headers(kStandardId, kStandardTimestamp,
                                                                     kStandardSignature),
                                     "whsec_" + std::string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), clock)) ==
        "signature does not match");
}

TEST_CASE("webhook auth: Standard Webhooks' timestamp has the same tolerance as t=") {
  ManualClock clock(kNow * 1000);
  auto check = [&](int64_t timestamp, int64_t tolerance = kDefaultSignatureToleranceSeconds) {
    std::string signature = standard_signature(kSecret, "msg_1", timestamp, kBody);
    return refusal(
        authenticate_webhook(kBody, standard_headers("msg_1", timestamp, signature), kSecret, clock, tolerance));
  };
  CHECK(check(kNow - 300) == "(accepted)");
  CHECK(check(kNow + 300) == "(accepted)");
  CHECK(check(kNow - 301) == "timestamp outside the 300 s tolerance");
  CHECK(check(kNow + 301) == "timestamp outside the 300 s tolerance");
  CHECK(check(kNow - 60, 60) == "(accepted)");
  CHECK(check(kNow - 60, 59) == "timestamp outside the 59 s tolerance");
}

TEST_CASE("webhook auth: several Standard Webhooks signatures, any of which may match") {
  ManualClock clock(kNow * 1000);
  std::string old_key = standard_signature("old secret", "msg_1", kNow, kBody);
  std::string new_key = standard_signature("new secret", "msg_1", kNow, kBody);
  Headers both = standard_headers("msg_1", kNow, old_key + " " + new_key);
  CHECK(authenticate_webhook(kBody, both, "old secret", clock).ok());
  CHECK(authenticate_webhook(kBody, both, "new secret", clock).ok());
  CHECK(refusal(authenticate_webhook(kBody, both, "third secret", clock)) == "signature does not match");
  // Versions other than v1 (v1a is asymmetric signing) are skipped, not refused.
  Headers with_v1a = standard_headers("msg_1", kNow, "v1a,c2lnbmVkIHdpdGggZWQyNTUxOQ== " + new_key);
  CHECK(authenticate_webhook(kBody, with_v1a, "new secret", clock).ok());
}

TEST_CASE("webhook auth: malformed Standard Webhooks headers") {
  ManualClock clock(kNow * 1000);
  std::string good = standard_signature(kSecret, "msg_1", kNow, kBody);
  const std::string malformed_signature =
      "malformed webhook-signature: expected v1,<base64 HMAC-SHA256> entries separated by spaces";
  for (const std::string& value : {good.substr(3),                       // no v1,
                                   "v1=" + good.substr(3),               // X-Isrgen-Signature's separator
                                   std::string("v1a,c2lnbmVk"),          // no v1 entry at all
                                   good.substr(0, good.size() - 1),      // not a multiple of 4
                                   good.substr(0, good.size() - 4),      // base64 of 30 bytes
                                   "v1," + std::string(44, '!'),         // not base64
                                   std::string("v1,c2hvcnQ="),           // base64 of too few bytes
                                   std::string()}) {
    INFO(value);
    CHECK(refusal(authenticate_webhook(kBody, standard_headers("msg_1", kNow, value), kSecret, clock)) ==
          malformed_signature);
  }
  const std::string missing = "webhook-signature needs webhook-id and webhook-timestamp beside it (Standard Webhooks)";
  CHECK(refusal(authenticate_webhook(kBody, {{"webhook-signature", good}, {"webhook-timestamp", "1"}}, kSecret,
                                     clock)) == missing);
  CHECK(refusal(authenticate_webhook(kBody, {{"webhook-signature", good}, {"webhook-id", "msg_1"}}, kSecret, clock)) ==
        missing);
  CHECK(refusal(authenticate_webhook(kBody, standard_headers("", kNow, good), kSecret, clock)) == missing);
  for (const char* timestamp : {"", "abc", "-5", "12x", "1.5", "99999999999999999999"}) {
    INFO(timestamp);
    Headers headers{{"webhook-id", "msg_1"}, {"webhook-timestamp", timestamp}, {"webhook-signature", good}};
    CHECK(refusal(authenticate_webhook(kBody, headers, kSecret, clock)) ==
          "malformed webhook-timestamp: expected unix seconds");
  }
}

TEST_CASE("webhook auth: a whsec_ secret whose rest is not base64 verifies nothing and is not quoted") {
  ManualClock clock(kStandardTimestamp * 1000);
  const std::string broken = "whsec_not base64!";
  std::string reason = refusal(authenticate_webhook(
      kStandardBody, standard_headers(kStandardId, kStandardTimestamp, kStandardSignature), broken, clock));
  CHECK(reason.starts_with("the webhook secret starts with whsec_ but the rest is not base64"));
  CHECK(reason.find("not base64!") == std::string::npos);
}

TEST_CASE("webhook auth: Standard Webhooks refusals reveal neither secret nor signature") {
  ManualClock clock(kStandardTimestamp * 1000);
  std::string expected = kStandardSignature.substr(3);
  for (const Headers& headers : std::vector<Headers>{
           standard_headers(kStandardId, kStandardTimestamp, "v1," + std::string(43, 'A') + "="),
           standard_headers(kStandardId, kStandardTimestamp - 999, standard_signature("x", kStandardId,
                                                                                      kStandardTimestamp - 999,
                                                                                      kStandardBody)),
           standard_headers(kStandardId, kStandardTimestamp, "garbage")}) {
    std::string reason = refusal(authenticate_webhook(kStandardBody, headers, kWhsecSecret, clock));
    CHECK(reason != "(accepted)");
    CHECK(reason.find(kWhsecSecret.substr(6)) == std::string::npos);
    CHECK(reason.find(expected) == std::string::npos);
  }
}
