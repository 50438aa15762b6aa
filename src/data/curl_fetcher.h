// The real HttpFetcher: each source's request as a net::Request under a
// policy made of the source's settings, the whole batch run at once by the
// one transfer loop (net/transfer_loop.h: parallel transfers over reused
// connections, retries with jittered backoff).
//
// Each request: GET with Accept: application/json unless the source sets
// its own Accept, its validators as If-None-Match and If-Modified-Since,
// every Content-Encoding libcurl can undo, at most 5 redirects over http and
// https only. The source's configured headers travel as credentials: such a
// request, like one with a user or password in its url, follows a redirect
// only within its origin (net/redirect_policy.h); one to another origin
// fails, naming both, and that host is never asked. Errors about a limit name
// the source's setting that raises it (timeout, connect_timeout, max_bytes).
#pragma once

#include "data/http_fetcher.h"
#include "net/transfer_loop.h"

namespace isrgen::data {

using CurlFetcherOptions = net::LoopOptions;

class CurlFetcher final : public HttpFetcher {
 public:
  explicit CurlFetcher(CurlFetcherOptions options = {});
  // Safe to call from several threads at once (see net::run_transfers).
  std::vector<HttpResponse> fetch_all(const std::vector<HttpRequest>& requests) override;

 private:
  CurlFetcherOptions options_;
};

}  // namespace isrgen::data
