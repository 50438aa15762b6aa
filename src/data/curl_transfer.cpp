#include "data/curl_transfer.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "data/curl_failure.h"
#include "data/url_origin.h"
#include "util/ascii.h"

#ifndef ISRGEN_VERSION
#error "ISRGEN_VERSION comes from CMakeLists.txt"
#endif

namespace isrgen::data {
namespace {

constexpr const char* kUserAgent = "isrgen/" ISRGEN_VERSION;
constexpr const char* kWebProtocols = "http,https";
constexpr long kMaxRedirects = 5;
constexpr const char* kNoMemory = "could not set up an HTTP transfer (out of memory?)";

// A header that would split the request into more lines (or is no header at
// all) is refused; the value is not quoted back, it may be a secret.
bool well_formed(const std::string& name, const std::string& value) {
  return !name.empty() && name.find_first_of(":\r\n \t") == std::string::npos &&
         value.find_first_of("\r\n") == std::string::npos;
}

// The redirects that send a GET on to one new location (RFC 9110 §15.4); a
// 300 or a 304 is an answer of its own.
bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string header_line(const std::string& name, const std::string& value) {
  // "Name:" alone would make libcurl drop the header; "Name;" sends it empty.
  return value.empty() ? name + ";" : name + ": " + value;
}

}  // namespace

CurlTransfer::CurlTransfer(const HttpRequest& request) : request_(request) {
  handle_ = curl_easy_init();
  if (!handle_) {
    response_.error = kNoMemory;
    return;
  }
  if (!set_headers()) {
    curl_easy_cleanup(handle_);
    handle_ = nullptr;
    return;
  }
  curl_easy_setopt(handle_, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle_, CURLOPT_PRIVATE, this);
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);  // timeouts must not use SIGALRM in a threaded program
  curl_easy_setopt(handle_, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(handle_, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(handle_, CURLOPT_ACCEPT_ENCODING, "");  // all libcurl decodes; the body arrives decoded
  // libcurl drops a custom Authorization (and Cookie) header when a redirect
  // leaves the host, but sends any other header on: a request with headers
  // follows its redirects here instead (follow_within_origin).
  curl_easy_setopt(handle_, CURLOPT_FOLLOWLOCATION, follows_itself() ? 0L : 1L);
  curl_easy_setopt(handle_, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, kWebProtocols);
  curl_easy_setopt(handle_, CURLOPT_REDIR_PROTOCOLS_STR, kWebProtocols);
  curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout_ms));
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  // Refuses a body whose Content-Length is already too large; on_body covers
  // the rest (chunked bodies, and compressed ones that grow when decoded).
  if (request.max_bytes > 0)
    curl_easy_setopt(handle_, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_bytes));
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &CurlTransfer::on_body);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_buffer_);
}

CurlTransfer::~CurlTransfer() {
  if (handle_) curl_easy_cleanup(handle_);
  curl_slist_free_all(header_list_);
}

CurlTransfer& CurlTransfer::of(CURL* handle) {
  char* self = nullptr;
  curl_easy_getinfo(handle, CURLINFO_PRIVATE, &self);
  return *reinterpret_cast<CurlTransfer*>(self);
}

bool CurlTransfer::set_headers() {
  std::vector<std::string> lines;
  if (!find_header(request_.headers, "Accept")) lines.push_back("Accept: application/json");
  if (!request_.if_none_match.empty()) lines.push_back("If-None-Match: " + request_.if_none_match);
  if (!request_.if_modified_since.empty()) lines.push_back("If-Modified-Since: " + request_.if_modified_since);
  for (const auto& [name, value] : request_.headers) {
    if (!well_formed(name, value)) {
      response_.error = "header '" + name + "' is not a valid HTTP header (a line break or ':' in it?)";
      return false;
    }
    lines.push_back(header_line(name, value));
  }
  for (const std::string& line : lines) {
    curl_slist* grown = curl_slist_append(header_list_, line.c_str());
    if (!grown) {
      response_.error = kNoMemory;
      return false;
    }
    header_list_ = grown;
  }
  curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, header_list_);
  return true;
}

void CurlTransfer::begin_attempt() {
  attempt_started_ = std::chrono::steady_clock::now();
  if (++response_.attempts == 1) first_attempt_started_ = attempt_started_;
  if (redirects_ > 0) {
    // The previous attempt ended somewhere along a redirect chain: start over.
    curl_easy_setopt(handle_, CURLOPT_URL, request_.url.c_str());
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(request_.timeout_ms));
    redirects_ = 0;
  }
  response_.status = 0;
  response_.body.clear();
  response_.etag.clear();
  response_.last_modified.clear();
  response_.content_type.clear();
  response_.error.clear();
  over_max_bytes_ = false;
  error_buffer_[0] = '\0';
}

// libcurl passes only the final response's body here, never that of a
// redirect it follows.
size_t CurlTransfer::on_body(char* data, size_t size, size_t count, void* self) {
  auto& transfer = *static_cast<CurlTransfer*>(self);
  size_t bytes = size * count;
  int64_t limit = transfer.request_.max_bytes;
  if (limit > 0 && static_cast<int64_t>(transfer.response_.body.size() + bytes) > limit) {
    transfer.over_max_bytes_ = true;
    return 0;  // anything but `bytes` makes libcurl abort the transfer
  }
  transfer.response_.body.append(data, bytes);
  return bytes;
}

void CurlTransfer::capture_headers() {
  auto last_response_header = [this](const char* name) -> std::string {
    curl_header* header = nullptr;
    // request -1: the last response of the redirect chain.
    if (curl_easy_header(handle_, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK) return "";
    return header->value;
  };
  response_.etag = last_response_header("ETag");
  response_.last_modified = last_response_header("Last-Modified");
  response_.content_type = last_response_header("Content-Type");
}

AttemptEnd CurlTransfer::refused_start(CURLMcode code) {
  response_.error = std::string("could not start the HTTP transfer: ") + curl_multi_strerror(code);
  return AttemptEnd{};
}

AttemptEnd CurlTransfer::end_attempt(CURLcode result) {
  if (result != CURLE_OK) {
    // A response cut off is no response: status stays 0 and the partial body goes.
    response_.body.clear();
    response_.error = describe_failure(handle_, result, request_, over_max_bytes_, error_buffer_);
    return AttemptEnd{!over_max_bytes_ && is_transient(result), 0};
  }
  long status = 0;
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
  char* location = nullptr;  // where a redirect leads, relative Locations resolved; null without one
  if (follows_itself() && is_redirect(status) && curl_easy_getinfo(handle_, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
      location)
    return follow_within_origin(location);
  response_.status = static_cast<int>(status);
  capture_headers();
  AttemptEnd end{is_transient_status(status), 0};
  if (status == 429 || status == 503) {
    curl_off_t retry_after_s = 0;
    curl_easy_getinfo(handle_, CURLINFO_RETRY_AFTER, &retry_after_s);
    // Clamped before scaling so an absurd header cannot overflow; the backoff caps it further.
    if (retry_after_s > 0) end.retry_after_ms = std::min<int64_t>(retry_after_s, 86'400) * 1000;
  }
  return end;
}

// With CURLOPT_FOLLOWLOCATION off, libcurl still works out where the
// redirect leads (CURLINFO_REDIRECT_URL). The hop counts against the
// attempt's timeout and the same redirect limit as libcurl's own following.
AttemptEnd CurlTransfer::follow_within_origin(const char* location) {
  response_.body.clear();  // the redirect's own body, never the data
  char* current = nullptr;
  curl_easy_getinfo(handle_, CURLINFO_EFFECTIVE_URL, &current);
  // Copied now: both belong to the handle, which the next hop resets.
  std::string from = current ? current : request_.url;
  std::string to = location;
  std::string to_origin = url_origin(to);
  if (to_origin.empty() || to_origin != url_origin(from)) {
    response_.error = cross_origin_redirect_error(from, to);
    return AttemptEnd{};
  }
  if (++redirects_ > kMaxRedirects) {
    response_.error = describe_failure(handle_, CURLE_TOO_MANY_REDIRECTS, request_, false, "");
    return AttemptEnd{};
  }
  auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                     attempt_started_).count();
  curl_easy_setopt(handle_, CURLOPT_URL, to.c_str());
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(request_.timeout_ms - spent, 1)));
  AttemptEnd end;
  end.next_hop = true;
  return end;
}

}  // namespace isrgen::data
