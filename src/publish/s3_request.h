// Requests to an S3-compatible API, signed by libcurl's AWS Signature V4.
// libcurl 7.88 signs the path and query exactly as given and hashes only
// in-memory bodies, so these builders percent-encode keys the AWS way, sort
// the query, and always send x-amz-content-sha256 and Content-Type themselves.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "data/env_expand.h"
#include "publish/http_call.h"
#include "util/error.h"

namespace isrgen::publish {

// Where and as whom: read from the standard AWS_* environment variables.
struct S3Settings {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;     // sent as x-amz-security-token when set
  std::string region = "us-east-1";
  // Empty: https://<bucket>.s3.<region>.amazonaws.com (virtual-hosted).
  // Set (AWS_ENDPOINT_URL): a custom endpoint, addressed path-style
  // (<endpoint>/<bucket>/<key>) unless virtual_hosted says otherwise.
  std::string endpoint;
  bool virtual_hosted = false;
  std::vector<std::string> connect_to;  // test seam, see net::Request
};

// `lookup`: data::process_environment() in production.
Result<S3Settings> s3_settings_from_environment(const data::EnvLookup& lookup);

// AWS's URI encoding: every byte except A-Z a-z 0-9 - . _ ~ (and '/' when
// keep_slash) as %XX with upper-case hex.
std::string aws_uri_encode(std::string_view text, bool keep_slash);

struct S3Request {
  std::string method = "GET";
  std::string bucket;
  std::string key;                            // unencoded; "" addresses the bucket
  std::map<std::string, std::string> query;   // unencoded; sorted by the map
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::filesystem::path body_file;
  std::string payload_sha256;                 // of body or body_file; empty: of body
};

net::Request make_s3_call(const S3Settings& settings, const S3Request& request);

}  // namespace isrgen::publish
