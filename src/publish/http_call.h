// HTTP exchanges of the publisher (object uploads, listings, deletes, CDN
// purges) and a runner that performs a batch of them in parallel over reused
// connections (one curl multi handle), retrying what may succeed on a second
// try. No call follows a redirect: a 3xx is its answer, and one that points to
// another origin is an error naming both origins. Request builders produce HttpCalls as plain values, so tests check the
// exact request without a network.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace isrgen::publish {

struct HttpCall {
  std::string method = "GET";
  std::string url;  // already percent-encoded, query sorted where a signature needs it
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                  // sent when body_file is empty
  std::filesystem::path body_file;   // else streamed from disk, never held in memory
  // AWS Signature V4 by libcurl: CURLOPT_AWS_SIGV4 ("aws:amz:<region>:<service>")
  // with "<access key>:<secret key>" as user and password; empty: unsigned.
  std::string aws_sigv4;
  std::string aws_credentials;
  std::vector<std::string> connect_to;  // CURLOPT_CONNECT_TO entries (tests: a real host name, a loopback port)
};

struct HttpOutcome {
  int status = 0;                              // 0: no response (see error)
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string error;                           // transport failure, else empty
  int attempts = 0;

  bool ok() const { return error.empty() && status >= 200 && status < 300; }
  std::string describe() const;  // "HTTP 503: <body start>" or the transport error
};

struct HttpRunOptions {
  int parallel = 8;                  // transfers in flight at once
  int retries = 3;                   // further attempts after a transport error, a 5xx or a 429
  int64_t retry_delay_ms = 200;      // backoff base (data/backoff.h): retry n waits up to base * 2^(n-1), or Retry-After
  int64_t connect_timeout_ms = 10'000;
  int64_t low_speed_timeout_ms = 60'000;  // abort an attempt that moves no bytes this long
};

// Performs every call; `on_done(index, outcome)` runs on the calling thread as
// each call finishes (after its retries), so callers can record progress as it
// happens and a crash loses nothing that was confirmed.
void run_http_calls(const std::vector<HttpCall>& calls, const HttpRunOptions& options,
                    const std::function<void(size_t index, HttpOutcome outcome)>& on_done);

// One call, for requests that come alone (a listing page, a purge).
HttpOutcome run_http_call(const HttpCall& call, const HttpRunOptions& options);

}  // namespace isrgen::publish
