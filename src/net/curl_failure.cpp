#include "net/curl_failure.h"

#include <cstring>

#include "net/redirect_policy.h"
#include "util/human_units.h"

namespace isrgen::net {
namespace {

// The host of the URL the attempt last talked to (after redirects).
std::string host_of(CURL* handle) {
  char* effective_url = nullptr;
  curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &effective_url);
  std::string host = "the server";
  CURLU* url = curl_url();
  char* part = nullptr;
  if (url && effective_url && curl_url_set(url, CURLUPART_URL, effective_url, 0) == CURLUE_OK &&
      curl_url_get(url, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
    host = part;
    curl_free(part);
  }
  curl_url_cleanup(url);
  return host;
}

bool connected(CURL* handle) {
  curl_off_t connect_us = 0;
  curl_easy_getinfo(handle, CURLINFO_CONNECT_TIME_T, &connect_us);
  return connect_us > 0;
}

// The operating system's reason ("Connection refused") where there is one.
std::string os_reason(CURL* handle, CURLcode result) {
  long os_errno = 0;
  curl_easy_getinfo(handle, CURLINFO_OS_ERRNO, &os_errno);
  return os_errno != 0 ? std::strerror(static_cast<int>(os_errno)) : curl_easy_strerror(result);
}

std::string with_detail(std::string message, std::string_view detail) {
  if (!detail.empty()) message += ": " + std::string(detail);
  return message;
}

// " (raise timeout)" when a setting raises the limit, else nothing.
std::string way_out(const std::string& setting) { return setting.empty() ? "" : " (raise " + setting + ")"; }

std::string describe_timeout(CURL* handle, const TransferPolicy& policy) {
  // libcurl reports every timeout alike. The connect one fires while no
  // connection exists yet (when it is the shorter); the low-speed one before
  // the whole attempt's time is up.
  bool connect_first = policy.timeout_ms <= 0 || policy.connect_timeout_ms < policy.timeout_ms;
  if (!connected(handle) && connect_first)
    return "could not connect to " + host_of(handle) + " within " + format_duration_ms(policy.connect_timeout_ms) +
           way_out(policy.settings.connect_timeout);
  curl_off_t total_us = 0;
  curl_easy_getinfo(handle, CURLINFO_TOTAL_TIME_T, &total_us);
  if (policy.low_speed_timeout_ms > 0 && (policy.timeout_ms <= 0 || total_us / 1000 < policy.timeout_ms))
    return host_of(handle) + " sent or took nothing for " + format_duration_ms(policy.low_speed_timeout_ms);
  return "timed out after " + format_duration_ms(policy.timeout_ms) + way_out(policy.settings.timeout);
}

}  // namespace

std::string describe_failure(CURL* handle, CURLcode result, const TransferPolicy& policy, bool over_max_bytes,
                             std::string_view detail) {
  if (over_max_bytes || result == CURLE_FILESIZE_EXCEEDED)
    return "response over " + format_bytes(policy.max_bytes) + way_out(policy.settings.max_bytes);
  switch (result) {
    case CURLE_OPERATION_TIMEDOUT:
      return describe_timeout(handle, policy);
    case CURLE_COULDNT_RESOLVE_HOST:
      return "could not resolve host " + host_of(handle) + " (check the url and the network)";
    case CURLE_COULDNT_CONNECT:
      return "could not connect to " + host_of(handle) + ": " + os_reason(handle, result);
    case CURLE_GOT_NOTHING:
      return host_of(handle) + " closed the connection without answering";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return with_detail("connection to " + host_of(handle) + " broke off", detail);
    case CURLE_TOO_MANY_REDIRECTS:
      return "more than " + std::to_string(kMaxRedirects) + " redirects (check the url)";
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "only http and https urls can be fetched (check the url and where it redirects)";
    case CURLE_URL_MALFORMAT:
      return "malformed url (check the url)";
    case CURLE_PEER_FAILED_VERIFICATION:
      return with_detail("the TLS certificate of " + host_of(handle) + " is not trusted", detail);
    case CURLE_SSL_CONNECT_ERROR:
      return with_detail("TLS handshake with " + host_of(handle) + " failed", detail);
    case CURLE_BAD_CONTENT_ENCODING:
      return with_detail("could not decode the response body", detail);
    default:
      return detail.empty() ? curl_easy_strerror(result) : std::string(detail);
  }
}

bool is_transient(CURLcode result) {
  switch (result) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

bool is_transient_status(long status) { return (status >= 500 && status < 600) || status == 429; }

}  // namespace isrgen::net
