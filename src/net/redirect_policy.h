// Which redirects a request may follow. A request that carries credentials
// never follows a redirect to another origin (scheme, host and port): libcurl
// 7.88, following on its own, drops only an Authorization header when the
// host changes (CURLOPT_UNRESTRICTED_AUTH), and sends every other header of
// CURLOPT_HTTPHEADER (an API key, a token, a signature) on to wherever a
// Location points. So isrgen follows redirects itself, and judges each hop
// here before it is made.
#pragma once

#include <string>
#include <vector>

#include "net/http_request.h"

namespace isrgen::net {

constexpr int kMaxRedirects = 5;

// What makes a request's answer someone else's business: the names of its
// credential headers, of the well-known credential headers among its other
// headers (Authorization, Proxy-Authorization, Cookie, X-Api-Key), "a user or
// password in the url", "an AWS signature". Names only, never values.
std::vector<std::string> credentials_carried(const Request& request);

struct RedirectStep {
  enum Kind {
    kAnswer,   // not followed: the 3xx is the response
    kFollow,   // the next hop asks `to_url`
    kRefuse,   // the request fails with `error`
    kTooMany,  // more than kMaxRedirects hops: the request fails
  };
  Kind kind = kAnswer;
  std::string error;  // for kRefuse
};

// The step after a redirect from `from_url` to `to_url` (Location resolved),
// `hops` redirects already followed in this attempt. `follow` is the policy's
// follow_redirects.
RedirectStep judge_redirect(const Request& request, bool follow, int hops, const std::string& from_url,
                            const std::string& to_url);

}  // namespace isrgen::net
