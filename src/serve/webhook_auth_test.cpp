// Every way a webhook proves itself, and every way it can fail to.
#include "serve/webhook_auth.h"

#include <catch2/catch.hpp>

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

std::string refusal(const Status& status) { return status.ok() ? "(accepted)" : status.error().message; }

}  // namespace

TEST_CASE("webhook auth: GitHub's documented example verifies") {
  ManualClock clock(kNow * 1000);
  CHECK(authenticate_webhook(kBody, {{"X-Hub-Signature-256", kGitHubSignature}}, kSecret, clock).ok());
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
  std::string expected = "no signature header (X-Hub-Signature-256, X-Isrgen-Signature or Authorization: Bearer)";
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
