// The origin of a URL (scheme, host and port, RFC 6454), and whether a URL
// carries a user or password: what the redirect rule (redirect_policy.h)
// compares and counts as a credential.
#pragma once

#include <string>

namespace isrgen::net {

// "http://127.0.0.1:8080": scheme and host in lower case, the port always
// spelled out (80 and 443 when the URL has none); "" when the URL does not parse.
std::string url_origin(const std::string& url);

// Whether the URL carries a user name or password ("https://user:pw@host/"):
// a credential as much as a header is.
bool url_has_userinfo(const std::string& url);

}  // namespace isrgen::net
