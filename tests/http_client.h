// A plain HTTP client for tests of `isrgen serve`: one libcurl request, the
// status, headers and body as received. A real client on a real socket, so
// the tests see what a CDN or a CMS would.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace isrgen::testing {

struct ClientResponse {
  long status = 0;  // 0: no answer (connection refused or reset)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string error;  // libcurl's message when status is 0

  // The first header of that name (compared without case), nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
};

struct ClientRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

ClientResponse http_request(const ClientRequest& request);
inline ClientResponse http_get(const std::string& url, std::vector<std::pair<std::string, std::string>> headers = {}) {
  return http_request({"GET", url, std::move(headers), ""});
}

}  // namespace isrgen::testing
