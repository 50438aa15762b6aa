#include "net/transfer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "net/curl_failure.h"
#include "net/redirect_policy.h"

#ifndef ISRGEN_VERSION
#error "ISRGEN_VERSION comes from CMakeLists.txt"
#endif

namespace isrgen::net {
namespace {

constexpr const char* kUserAgent = "isrgen/" ISRGEN_VERSION;
constexpr const char* kWebProtocols = "http,https";
constexpr const char* kNoMemory = "could not set up an HTTP transfer (out of memory?)";

// A header that would split the request into more lines (or is no header at
// all) is refused; the value is not quoted back, it may be a secret.
bool well_formed(const std::string& name, const std::string& value) {
  return !name.empty() && name.find_first_of(":\r\n \t") == std::string::npos &&
         value.find_first_of("\r\n") == std::string::npos;
}

// The redirects that send a request on to one new location (RFC 9110 §15.4);
// a 300 or a 304 is an answer of its own.
bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string header_line(const std::string& name, const std::string& value) {
  // "Name:" alone would make libcurl drop the header; "Name;" sends it empty.
  return value.empty() ? name + ";" : name + ": " + value;
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  });
  return text;
}

}  // namespace

Transfer::Transfer(const Request& request, const TransferPolicy& policy) : request_(request), policy_(policy) {
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
  curl_easy_setopt(handle_, CURLOPT_USERAGENT, kUserAgent);
  if (request.accept_compressed) curl_easy_setopt(handle_, CURLOPT_ACCEPT_ENCODING, "");
  // libcurl would send nearly every header of the list on to wherever a
  // redirect points: redirects are followed here, hop by hop (follow), or not
  // at all.
  curl_easy_setopt(handle_, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, kWebProtocols);
  curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(policy.connect_timeout_ms));
  if (policy.timeout_ms > 0) curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(policy.timeout_ms));
  if (policy.low_speed_timeout_ms > 0) {
    curl_easy_setopt(handle_, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(handle_, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(std::max<int64_t>(1, policy.low_speed_timeout_ms / 1000)));
  }
  // Refuses a body whose Content-Length is already too large; on_body covers
  // the rest (chunked bodies, and compressed ones that grow when decoded).
  if (policy.max_bytes > 0)
    curl_easy_setopt(handle_, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(policy.max_bytes));
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_buffer_);
  for (const std::string& entry : request.connect_to) {
    curl_slist* grown = curl_slist_append(connect_to_, entry.c_str());
    if (grown) connect_to_ = grown;
  }
  if (connect_to_) curl_easy_setopt(handle_, CURLOPT_CONNECT_TO, connect_to_);
  if (!request.aws_sigv4.empty()) {
    curl_easy_setopt(handle_, CURLOPT_AWS_SIGV4, request.aws_sigv4.c_str());
    curl_easy_setopt(handle_, CURLOPT_USERPWD, request.aws_credentials.c_str());
  }
  set_method_and_body();
}

Transfer::~Transfer() {
  if (handle_) curl_easy_cleanup(handle_);
  curl_slist_free_all(header_list_);
  curl_slist_free_all(connect_to_);
  if (body_file_) std::fclose(body_file_);
}

Transfer& Transfer::of(CURL* handle) {
  char* self = nullptr;
  curl_easy_getinfo(handle, CURLINFO_PRIVATE, &self);
  return *reinterpret_cast<Transfer*>(self);
}

bool Transfer::set_headers() {
  // No "Expect:" header to skip the 100-continue round trip: libcurl 7.88
  // signs every header in the list, that empty one included, and S3 then
  // computes another signature. libcurl adds it only to bodies over 1 MiB.
  std::vector<std::string> lines;
  for (const HeaderFields* fields : {&request_.headers, &request_.credential_headers}) {
    for (const auto& [name, value] : *fields) {
      if (!well_formed(name, value)) {
        response_.error = "header '" + name + "' is not a valid HTTP header (a line break or ':' in it?)";
        return false;
      }
      lines.push_back(header_line(name, value));
    }
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

void Transfer::set_method_and_body() {
  if (request_.method == "GET") {
    curl_easy_setopt(handle_, CURLOPT_HTTPGET, 1L);
  } else if (request_.method == "PUT") {
    // Read by a callback, from the file or from the request's memory. Not
    // CURLOPT_POSTFIELDS with a custom "PUT": that would change how libcurl
    // signs and frames a PUT. The file's size is set once it is open.
    curl_easy_setopt(handle_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(handle_, CURLOPT_READFUNCTION, &Transfer::on_read_body);
    curl_easy_setopt(handle_, CURLOPT_READDATA, this);
    if (request_.body_file.empty())
      curl_easy_setopt(handle_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
  } else if (request_.method == "POST") {
    // In memory, so that libcurl's signature hashes the payload.
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, request_.body.c_str());
  } else {
    curl_easy_setopt(handle_, CURLOPT_CUSTOMREQUEST, request_.method.c_str());
  }
}

// Opened by the first attempt rather than up front, so a batch of thousands
// of uploads holds only the files of the transfers under way.
bool Transfer::open_body_file() {
  if (body_file_) return std::fseek(body_file_, 0, SEEK_SET) == 0;
  body_file_ = std::fopen(request_.body_file.c_str(), "rb");
  std::error_code error;
  auto size = body_file_ ? std::filesystem::file_size(request_.body_file, error) : 0;
  if (!body_file_ || error) {
    response_.error = "cannot read " + request_.body_file.string() + ": " +
                      (body_file_ ? error.message() : std::string(std::strerror(errno)));
    return false;
  }
  curl_easy_setopt(handle_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
  return true;
}

bool Transfer::begin_attempt() {
  attempt_started_ = std::chrono::steady_clock::now();
  if (++response_.attempts == 1) first_attempt_started_ = attempt_started_;
  if (hops_ > 0) {
    // The previous attempt ended somewhere along a redirect chain: start over.
    curl_easy_setopt(handle_, CURLOPT_URL, request_.url.c_str());
    if (policy_.timeout_ms > 0) curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(policy_.timeout_ms));
    hops_ = 0;
  }
  response_.status = 0;
  response_.body.clear();
  response_.headers.clear();
  response_.error.clear();
  over_max_bytes_ = false;
  body_sent_ = 0;
  error_buffer_[0] = '\0';
  return request_.method != "PUT" || request_.body_file.empty() || open_body_file();
}

// Every response's body arrives here, a redirect's too (follow drops it).
size_t Transfer::on_body(char* data, size_t size, size_t count, void* self) {
  auto& transfer = *static_cast<Transfer*>(self);
  size_t bytes = size * count;
  int64_t limit = transfer.policy_.max_bytes;
  if (limit > 0 && static_cast<int64_t>(transfer.response_.body.size() + bytes) > limit) {
    transfer.over_max_bytes_ = true;
    return 0;  // anything but `bytes` makes libcurl abort the transfer
  }
  transfer.response_.body.append(data, bytes);
  return bytes;
}

size_t Transfer::on_read_body(char* buffer, size_t size, size_t count, void* self) {
  auto& transfer = *static_cast<Transfer*>(self);
  if (transfer.body_file_) {
    size_t read = std::fread(buffer, 1, size * count, transfer.body_file_);
    return read == 0 && std::ferror(transfer.body_file_) ? CURL_READFUNC_ABORT : read;
  }
  const std::string& body = transfer.request_.body;
  size_t n = std::min(size * count, body.size() - transfer.body_sent_);
  std::memcpy(buffer, body.data() + transfer.body_sent_, n);
  transfer.body_sent_ += n;
  return n;
}

void Transfer::capture_headers() {
  // request -1: the last response this handle received (a 1xx has headers of
  // another origin, CURLH_1XX, and is skipped).
  curl_header* header = nullptr;
  while ((header = curl_easy_nextheader(handle_, CURLH_HEADER, -1, header)))
    response_.headers[lower_case(header->name)] = header->value;
}

AttemptEnd Transfer::refused_start(CURLMcode code) {
  response_.error = std::string("could not start the HTTP transfer: ") + curl_multi_strerror(code);
  return AttemptEnd{};
}

AttemptEnd Transfer::end_attempt(CURLcode result) {
  if (result != CURLE_OK) {
    // A response cut off is no response: status stays 0 and the partial body goes.
    response_.body.clear();
    response_.error = describe_failure(handle_, result, policy_, over_max_bytes_, error_buffer_);
    return AttemptEnd{!over_max_bytes_ && is_transient(result), 0};
  }
  long status = 0;
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
  char* location = nullptr;  // where a redirect leads, relative Locations resolved; null without one
  if (is_redirect(status) && curl_easy_getinfo(handle_, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
    char* current = nullptr;
    curl_easy_getinfo(handle_, CURLINFO_EFFECTIVE_URL, &current);
    // Copied now: both belong to the handle, which the next hop resets.
    std::string from = current ? current : request_.url;
    std::string to = location;
    RedirectStep step = judge_redirect(request_, policy_.follow_redirects && request_.method == "GET", hops_, from, to);
    if (step.kind == RedirectStep::kFollow) return follow(to);
    if (step.kind != RedirectStep::kAnswer) {
      response_.body.clear();
      response_.error = step.kind == RedirectStep::kRefuse
                            ? step.error
                            : describe_failure(handle_, CURLE_TOO_MANY_REDIRECTS, policy_, false, "");
      return AttemptEnd{};
    }
  }
  return end_with_status(status);
}

AttemptEnd Transfer::end_with_status(long status) {
  response_.status = static_cast<int>(status);
  capture_headers();
  AttemptEnd end{is_transient_status(status), 0};
  if (end.transient) {
    curl_off_t retry_after_s = 0;
    curl_easy_getinfo(handle_, CURLINFO_RETRY_AFTER, &retry_after_s);
    // Clamped before scaling so an absurd header cannot overflow; the backoff caps it further.
    if (retry_after_s > 0) end.retry_after_ms = std::min<int64_t>(retry_after_s, 86'400) * 1000;
  }
  return end;
}

// With CURLOPT_FOLLOWLOCATION off, libcurl still works out where the
// redirect leads (CURLINFO_REDIRECT_URL). The hop counts against the
// attempt's timeout.
AttemptEnd Transfer::follow(const std::string& location) {
  response_.body.clear();  // the redirect's own body, never the answer
  ++hops_;
  curl_easy_setopt(handle_, CURLOPT_URL, location.c_str());
  if (policy_.timeout_ms > 0) {
    auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                       attempt_started_).count();
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(policy_.timeout_ms - spent, 1)));
  }
  AttemptEnd end;
  end.next_hop = true;
  return end;
}

}  // namespace isrgen::net
