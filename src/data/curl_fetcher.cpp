#include "data/curl_fetcher.h"

#include <utility>

#include "util/ascii.h"

namespace isrgen::data {
namespace {

net::Request net_request(const HttpRequest& request) {
  net::Request sent;
  sent.url = request.url;
  if (!find_header(request.headers, "Accept")) sent.headers.emplace_back("Accept", "application/json");
  if (!request.if_none_match.empty()) sent.headers.emplace_back("If-None-Match", request.if_none_match);
  if (!request.if_modified_since.empty()) sent.headers.emplace_back("If-Modified-Since", request.if_modified_since);
  // Any configured header may hold a secret (an API key under any name).
  sent.credential_headers = request.headers;
  sent.accept_compressed = true;
  return sent;
}

net::TransferPolicy policy_of(const HttpRequest& request) {
  net::TransferPolicy policy;
  policy.connect_timeout_ms = request.connect_timeout_ms;
  policy.timeout_ms = request.timeout_ms;
  policy.max_bytes = request.max_bytes;
  policy.retries = request.retries;
  policy.retry_delay_ms = request.retry_delay_ms;
  policy.follow_redirects = true;
  policy.settings = {"timeout", "connect_timeout", "max_bytes"};
  return policy;
}

HttpResponse fetched(net::Response response) {
  HttpResponse fetched;
  fetched.status = response.status;
  fetched.etag = response.header("ETag");
  fetched.last_modified = response.header("Last-Modified");
  fetched.content_type = response.header("Content-Type");
  fetched.body = std::move(response.body);
  fetched.error = std::move(response.error);
  fetched.attempts = response.attempts;
  fetched.elapsed_ms = response.elapsed_ms;
  return fetched;
}

}  // namespace

CurlFetcher::CurlFetcher(CurlFetcherOptions options) : options_(std::move(options)) {}

std::vector<HttpResponse> CurlFetcher::fetch_all(const std::vector<HttpRequest>& requests) {
  std::vector<net::Request> sent;
  std::vector<net::TransferPolicy> policies;
  sent.reserve(requests.size());
  policies.reserve(requests.size());
  for (const HttpRequest& request : requests) {
    sent.push_back(net_request(request));
    policies.push_back(policy_of(request));
  }
  std::vector<HttpResponse> responses(requests.size());
  net::run_transfers(sent, policies, options_, [&](size_t index, net::Response response) {
    responses[index] = fetched(std::move(response));
  });
  return responses;
}

}  // namespace isrgen::data
