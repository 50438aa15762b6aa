// What isrgen sends over HTTP and what comes back, as plain values: request
// builders (remote sources, S3, CDN purges) produce Requests that tests check
// without a network, and transfer_loop.h carries them out.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "util/ascii.h"

namespace isrgen::net {

struct Request {
  std::string method = "GET";  // GET, PUT (body uploaded), POST, DELETE, ...
  std::string url;             // already percent-encoded, query sorted where a signature needs it
  HeaderFields headers;        // sent as given
  // Sent after `headers`, and secrets: never quoted in a message, never taken
  // to another origin by a redirect (redirect_policy.h). A configured header
  // of a remote source, an API token, a signature.
  HeaderFields credential_headers;
  std::string body;                  // sent when body_file is empty
  std::filesystem::path body_file;   // else streamed from disk, opened only when its attempt starts
  bool accept_compressed = false;    // ask for every Content-Encoding libcurl can undo; the body arrives decoded
  // AWS Signature V4 by libcurl: CURLOPT_AWS_SIGV4 ("aws:amz:<region>:<service>")
  // with "<access key>:<secret key>" as user and password; empty: unsigned.
  std::string aws_sigv4;
  std::string aws_credentials;
  std::vector<std::string> connect_to;  // CURLOPT_CONNECT_TO entries (tests: a real host name, a loopback port)
};

struct Response {
  int status = 0;       // of the last attempt's last response; 0 when none arrived (then `error` says why)
  std::string body;     // decoded; empty when the transfer failed (a cut-off body is no body)
  std::map<std::string, std::string> headers;  // of that response, names in lower case
  std::string error;    // transport failure or refused redirect, else empty
  int attempts = 0;     // 0: the request could not be set up (see error)
  int64_t elapsed_ms = 0;  // from the first attempt's start to the end, retries included

  // A 2xx that arrived whole.
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
  // The error, else "HTTP <status>" and the start of the body: what a failed
  // call tells its user.
  std::string describe() const;
  // The value of the response header `name` (any case), "" when absent.
  std::string header(const std::string& name) const;
};

}  // namespace isrgen::net
