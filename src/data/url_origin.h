// The origin of a URL (scheme, host and port, RFC 6454) and the refusal of a
// redirect that leaves it. A request that carries configured headers or
// credentials follows a redirect only within its origin: libcurl drops
// Authorization and Cookie when a redirect changes host, but not an API key
// in a header of another name, nor the other host's answer.
#pragma once

#include <string>

namespace isrgen::data {

// "http://127.0.0.1:8080": scheme and host in lower case, the port always
// spelled out (80 and 443 when the URL has none); "" when the URL does not parse.
std::string url_origin(const std::string& url);

// Whether the URL carries a user name or password ("https://user:pw@host/"):
// a credential as much as a header is.
bool url_has_userinfo(const std::string& url);

// The error of a redirect from `from_url` to `to_url` on another origin. It
// names both origins only: a path or query may hold a token.
std::string cross_origin_redirect_error(const std::string& from_url, const std::string& to_url);

}  // namespace isrgen::data
