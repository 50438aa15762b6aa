// What a failed libcurl attempt means: the message a user reads, and whether
// another attempt could go better. Messages name the host, never the full URL
// or any header, since both may carry credentials.
#pragma once

#include <string>
#include <string_view>

#include <curl/curl.h>

#include "net/transfer_policy.h"

namespace isrgen::net {

// `detail` is libcurl's error buffer for the attempt (may be empty).
// `over_max_bytes` is set when the body outgrew policy.max_bytes. A message
// about a limit names the setting that raises it, where the policy has one.
std::string describe_failure(CURL* handle, CURLcode result, const TransferPolicy& policy, bool over_max_bytes,
                             std::string_view detail);

// Timeouts and broken or refused connections: the server may be back soon.
bool is_transient(CURLcode result);
// 5xx and 429 (Too Many Requests) ask the client to come back later.
bool is_transient_status(long status);

}  // namespace isrgen::net
