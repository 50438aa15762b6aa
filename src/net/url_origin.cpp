#include "net/url_origin.h"

#include <algorithm>

#include <curl/curl.h>

namespace isrgen::net {
namespace {

// One part of a parsed URL, "" when absent. CURLU_DEFAULT_PORT spells out
// the scheme's port when the URL has none, so "http://a" and "http://a:80" agree.
std::string url_part(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, part == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0) != CURLUE_OK) return "";
  std::string copy = text;
  curl_free(text);
  // Schemes and host names compare without case; the origin is written in lower case.
  std::transform(copy.begin(), copy.end(), copy.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  });
  return copy;
}

}  // namespace

std::string url_origin(const std::string& url) {
  CURLU* parsed = curl_url();
  if (!parsed) return "";
  std::string origin;
  if (curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    std::string scheme = url_part(parsed, CURLUPART_SCHEME);
    std::string host = url_part(parsed, CURLUPART_HOST);
    std::string port = url_part(parsed, CURLUPART_PORT);
    if (!scheme.empty() && !host.empty()) origin = scheme + "://" + host + ":" + port;
  }
  curl_url_cleanup(parsed);
  return origin;
}

bool url_has_userinfo(const std::string& url) {
  CURLU* parsed = curl_url();
  if (!parsed) return false;
  bool userinfo = curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
                  (!url_part(parsed, CURLUPART_USER).empty() || !url_part(parsed, CURLUPART_PASSWORD).empty());
  curl_url_cleanup(parsed);
  return userinfo;
}

}  // namespace isrgen::net
