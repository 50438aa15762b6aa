// One request of a batch and the libcurl easy handle that carries it through
// its attempts and the redirects it follows. The loop (transfer_loop.h)
// decides when an attempt runs; this class sets the handle up from the
// Request and its TransferPolicy, sends the body, collects the answer within
// max_bytes, judges each redirect (redirect_policy.h) and turns each
// attempt's end into the Response.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include <curl/curl.h>

#include "net/http_request.h"
#include "net/transfer_policy.h"

namespace isrgen::net {

struct AttemptEnd {
  bool transient = false;      // another attempt may succeed (timeout, 5xx, 429, ...)
  int64_t retry_after_ms = 0;  // the server's Retry-After on a 5xx or 429, else 0
  // A redirect the transfer follows: the handle now asks for the new URL and
  // goes back into the multi, in the same attempt.
  bool next_hop = false;
};

class Transfer {
 public:
  Transfer(const Request& request, const TransferPolicy& policy);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // False when the request cannot be sent at all; response().error says why.
  bool ready() const { return handle_ != nullptr; }
  CURL* handle() const { return handle_; }
  static Transfer& of(CURL* handle);  // the transfer that set the handle up

  const TransferPolicy& policy() const { return policy_; }
  Response& response() { return response_; }

  // Forgets what the previous attempt left and starts at the request's url,
  // with the body from its start. False when the body file cannot be read:
  // response().error says why, and the attempt is over.
  bool begin_attempt();
  // Fills response() from the attempt, or readies the handle for the next
  // hop of a redirect it follows.
  AttemptEnd end_attempt(CURLcode result);
  AttemptEnd refused_start(CURLMcode code);  // the attempt could not start: an error, not retried
  // When the first attempt began: the exchange's time counts from there, not
  // from the time spent queued behind other transfers.
  std::chrono::steady_clock::time_point first_attempt_started() const { return first_attempt_started_; }

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* self);
  static size_t on_read_body(char* buffer, size_t size, size_t count, void* self);
  bool set_headers();
  void set_method_and_body();
  bool open_body_file();
  void capture_headers();
  AttemptEnd end_with_status(long status);
  AttemptEnd follow(const std::string& location);

  const Request& request_;
  const TransferPolicy& policy_;
  Response response_;
  CURL* handle_ = nullptr;
  curl_slist* header_list_ = nullptr;
  curl_slist* connect_to_ = nullptr;
  FILE* body_file_ = nullptr;  // open from the first attempt on, rewound for each
  size_t body_sent_ = 0;       // of an in-memory body
  bool over_max_bytes_ = false;
  int hops_ = 0;  // redirects this attempt followed
  std::chrono::steady_clock::time_point first_attempt_started_;
  std::chrono::steady_clock::time_point attempt_started_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace isrgen::net
