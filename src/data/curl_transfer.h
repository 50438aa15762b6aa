// One request of a batch and the libcurl easy handle that carries it through
// its attempts. The batch loop (curl_fetcher.cpp) decides when an attempt
// runs; this class sets the handle up from the HttpRequest, collects the body
// within max_bytes, and turns each attempt's end into the HttpResponse.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <curl/curl.h>

#include "data/http_fetcher.h"
#include "data/url_origin.h"

namespace isrgen::data {

struct AttemptEnd {
  bool transient = false;      // another attempt may succeed (timeout, 5xx, 429, ...)
  int64_t retry_after_ms = 0;  // the server's Retry-After on a 429 or 503, else 0
  // A redirect within the origin that the transfer follows itself: the handle
  // now asks for the new URL and goes back into the multi, in the same attempt.
  bool next_hop = false;
};

class CurlTransfer {
 public:
  explicit CurlTransfer(const HttpRequest& request);
  ~CurlTransfer();
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  // False when the request cannot be sent at all; response().error says why.
  bool ready() const { return handle_ != nullptr; }
  CURL* handle() const { return handle_; }
  static CurlTransfer& of(CURL* handle);  // the transfer that set the handle up

  const HttpRequest& request() const { return request_; }
  HttpResponse& response() { return response_; }

  void begin_attempt();                    // forgets what the previous attempt left, starts at request().url
  // Fills response() from the attempt, or readies the handle for the next hop
  // of a redirect when a request with headers is redirected within its origin.
  AttemptEnd end_attempt(CURLcode result);
  AttemptEnd refused_start(CURLMcode code); // the attempt could not start: an error, not retried
  // When the first attempt began: the exchange's time counts from there, not
  // from the time spent queued behind other transfers.
  std::chrono::steady_clock::time_point first_attempt_started() const { return first_attempt_started_; }

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* self);
  bool set_headers();
  void capture_headers();
  AttemptEnd follow_within_origin(const char* location);

  // A request with headers of its own may hold a secret in any of them, and
  // one with a user or password in its url holds one: libcurl does not follow
  // their redirects, this class does, within the origin.
  bool follows_itself() const { return !request_.headers.empty() || url_has_userinfo(request_.url); }

  const HttpRequest& request_;
  HttpResponse response_;
  CURL* handle_ = nullptr;
  curl_slist* header_list_ = nullptr;
  bool over_max_bytes_ = false;
  int redirects_ = 0;  // hops this attempt followed itself
  std::chrono::steady_clock::time_point first_attempt_started_;
  std::chrono::steady_clock::time_point attempt_started_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace isrgen::data
