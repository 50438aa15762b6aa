#include "publish/http_call.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <deque>
#include <memory>
#include <mutex>

#include "data/backoff.h"
#include "data/curl_failure.h"
#include "data/url_origin.h"

namespace isrgen::publish {
namespace {

using SteadyClock = std::chrono::steady_clock;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Timeouts, refused or broken connections, 5xx and 429: the same rules as
// the data sources' fetcher.
bool worth_retrying(CURLcode result, const HttpOutcome& outcome) {
  return result == CURLE_OK ? data::is_transient_status(outcome.status) : data::is_transient(result);
}

// A Retry-After given in seconds, in milliseconds; 0 when absent or a date.
int64_t retry_after_ms(const HttpOutcome& outcome) {
  auto it = outcome.headers.find("retry-after");
  if (it == outcome.headers.end() || it->second.empty() ||
      it->second.find_first_not_of("0123456789") != std::string::npos || it->second.size() > 6)
    return 0;
  return std::stoll(it->second) * 1000;
}

// One attempt of one call: the easy handle and everything its callbacks touch.
struct Transfer {
  size_t index = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  curl_slist* connect_to = nullptr;
  FILE* upload = nullptr;                // a body streamed from its file...
  std::string_view body;                 // ...or read from the call's memory (it outlives the transfer)
  size_t body_sent = 0;
  CURLcode result = CURLE_OK;
  bool answer_too_long = false;
  HttpOutcome outcome;

  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
    curl_slist_free_all(connect_to);
    if (upload) std::fclose(upload);
  }
};

// The bucket's and the CDN's answers are small (a listing page of 1,000 keys
// is about 300 KB): a longer one is refused, not held in memory.
constexpr size_t kMaxAnswerBytes = 16 << 20;

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->outcome.body.size() + size * count > kMaxAnswerBytes) {
    transfer->answer_too_long = true;
    return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
  }
  transfer->outcome.body.append(data, size * count);
  return size * count;
}

size_t on_read_body(char* buffer, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t n = std::min(size * count, transfer->body.size() - transfer->body_sent);
  std::memcpy(buffer, transfer->body.data() + transfer->body_sent, n);
  transfer->body_sent += n;
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  std::string line(data, size * count);
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    size_t begin = line.find_first_not_of(" \t", colon + 1);
    size_t end = line.find_last_not_of("\r\n \t");
    static_cast<Transfer*>(user)->outcome.headers[name] =
        begin == std::string::npos || end < begin ? "" : line.substr(begin, end - begin + 1);
  }
  return size * count;
}

// A redirect that would take the call to another origin is told as such,
// naming both origins, rather than as a bare 3xx: the call is not followed
// there, since its headers and signature belong to the origin it was made for.
void refuse_cross_origin_redirect(CURL* easy, HttpOutcome& outcome) {
  char* location = nullptr;
  char* current = nullptr;
  if (outcome.status < 300 || outcome.status > 399 || curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location) != CURLE_OK ||
      !location || curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &current) != CURLE_OK || !current)
    return;
  if (data::url_origin(location) != data::url_origin(current))
    outcome.error = data::cross_origin_redirect_error(current, location);
}

std::unique_ptr<Transfer> start_transfer(const HttpCall& call, size_t index, const HttpRunOptions& options) {
  auto transfer = std::make_unique<Transfer>();
  transfer->index = index;
  CURL* easy = transfer->easy = curl_easy_init();
  if (!easy) {
    transfer->result = CURLE_FAILED_INIT;
    transfer->outcome.error = "cannot create a curl handle (out of memory?)";
    return transfer;
  }
  curl_easy_setopt(easy, CURLOPT_URL, call.url.c_str());
  // Every call carries a signature or a token, in headers libcurl would send
  // on to wherever a redirect points: a 3xx is the answer, never followed.
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(std::max<int64_t>(1, options.low_speed_timeout_ms / 1000)));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get());

  // No "Expect:" header to skip the 100-continue round trip: libcurl 7.88
  // signs every header in the list, that empty one included, and the server
  // then computes another signature. libcurl adds it only to bodies over 1 MiB.
  for (const auto& [name, value] : call.headers)
    transfer->headers = curl_slist_append(transfer->headers, (name + ": " + value).c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
  for (const std::string& entry : call.connect_to) transfer->connect_to = curl_slist_append(transfer->connect_to, entry.c_str());
  if (transfer->connect_to) curl_easy_setopt(easy, CURLOPT_CONNECT_TO, transfer->connect_to);

  if (!call.aws_sigv4.empty()) {
    curl_easy_setopt(easy, CURLOPT_AWS_SIGV4, call.aws_sigv4.c_str());
    curl_easy_setopt(easy, CURLOPT_USERPWD, call.aws_credentials.c_str());
  }

  if (call.method == "PUT") {
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    if (!call.body_file.empty()) {
      transfer->upload = std::fopen(call.body_file.c_str(), "rb");
      if (!transfer->upload) {
        transfer->result = CURLE_READ_ERROR;
        transfer->outcome.error = "cannot read " + call.body_file.string();
        return transfer;
      }
      std::error_code ec;
      auto size = std::filesystem::file_size(call.body_file, ec);
      if (ec) {
        transfer->result = CURLE_READ_ERROR;
        transfer->outcome.error = "cannot read " + call.body_file.string() + ": " + ec.message();
        return transfer;
      }
      curl_easy_setopt(easy, CURLOPT_READDATA, transfer->upload);
      curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    } else {
      // Read from memory by a callback (the body string belongs to the
      // caller's call and outlives the transfer). Not CURLOPT_POSTFIELDS with
      // a custom "PUT": that would change how libcurl signs and frames a PUT.
      transfer->body = call.body;
      curl_easy_setopt(easy, CURLOPT_READFUNCTION, on_read_body);
      curl_easy_setopt(easy, CURLOPT_READDATA, transfer.get());
      curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
    }
  } else if (call.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, call.body.c_str());
  } else if (call.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  }
  return transfer;
}

}  // namespace

std::string HttpOutcome::describe() const {
  if (!error.empty()) return error;
  std::string text = "HTTP " + std::to_string(status);
  if (!body.empty()) text += ": " + body.substr(0, 300);
  return text;
}

void run_http_calls(const std::vector<HttpCall>& calls, const HttpRunOptions& options,
                    const std::function<void(size_t index, HttpOutcome outcome)>& on_done) {
  global_init_once();
  struct Waiting {
    size_t index;
    SteadyClock::time_point not_before;
  };
  std::deque<Waiting> waiting;
  for (size_t i = 0; i < calls.size(); ++i) waiting.push_back({i, SteadyClock::time_point::min()});
  std::vector<int> attempts(calls.size(), 0);
  data::BackoffPolicy backoff;
  backoff.base_ms = options.retry_delay_ms;
  data::RandomUpTo random = data::seeded_random_up_to();

  CURLM* multi = curl_multi_init();
  if (!multi) {
    for (size_t i = 0; i < calls.size(); ++i) {
      HttpOutcome outcome;
      outcome.error = "cannot create a curl multi handle (out of memory?)";
      on_done(i, std::move(outcome));
    }
    return;
  }
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(std::max(1, options.parallel)));
  std::map<CURL*, std::unique_ptr<Transfer>> running;

  auto finish = [&](std::unique_ptr<Transfer> transfer) {
    size_t index = transfer->index;
    transfer->outcome.attempts = ++attempts[index];
    if (worth_retrying(transfer->result, transfer->outcome) && attempts[index] <= options.retries) {
      auto delay = std::chrono::milliseconds(
          data::retry_delay_ms(backoff, attempts[index], retry_after_ms(transfer->outcome), random));
      waiting.push_back({index, SteadyClock::now() + delay});
      return;
    }
    on_done(index, std::move(transfer->outcome));
  };

  while (!waiting.empty() || !running.empty()) {
    auto now = SteadyClock::now();
    int64_t next_wake_ms = 1000;
    // Take the calls due now out of the queue first: starting one can fail
    // at once and queue its retry, which must not happen while iterating.
    std::vector<size_t> due;
    for (auto it = waiting.begin();
         it != waiting.end() && static_cast<int>(running.size() + due.size()) < options.parallel;) {
      if (it->not_before > now) {
        next_wake_ms = std::min<int64_t>(
            next_wake_ms, std::chrono::duration_cast<std::chrono::milliseconds>(it->not_before - now).count() + 1);
        ++it;
        continue;
      }
      due.push_back(it->index);
      it = waiting.erase(it);
    }
    for (size_t index : due) {
      auto transfer = start_transfer(calls[index], index, options);
      if (transfer->outcome.error.empty()) {
        CURLMcode added = curl_multi_add_handle(multi, transfer->easy);
        if (added != CURLM_OK) {
          transfer->result = CURLE_FAILED_INIT;
          transfer->outcome.error = std::string("cannot start the transfer: ") + curl_multi_strerror(added);
        }
      }
      if (!transfer->outcome.error.empty()) {
        finish(std::move(transfer));
        continue;
      }
      CURL* easy = transfer->easy;
      running.emplace(easy, std::move(transfer));
    }
    if (running.empty()) {
      if (!waiting.empty()) curl_multi_poll(multi, nullptr, 0, static_cast<int>(next_wake_ms), nullptr);
      continue;
    }
    int still_running = 0;
    curl_multi_perform(multi, &still_running);
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      CURLcode code = message->data.result;
      curl_multi_remove_handle(multi, easy);
      auto node = running.extract(easy);
      std::unique_ptr<Transfer> transfer = std::move(node.mapped());
      transfer->result = code;
      if (code != CURLE_OK) {
        transfer->outcome.error = transfer->answer_too_long
                                      ? "the answer is longer than " + std::to_string(kMaxAnswerBytes >> 20) +
                                            " MiB; refused"
                                      : curl_easy_strerror(code);
      } else {
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        transfer->outcome.status = static_cast<int>(status);
        refuse_cross_origin_redirect(easy, transfer->outcome);
      }
      finish(std::move(transfer));
    }
    if (!running.empty()) curl_multi_poll(multi, nullptr, 0, static_cast<int>(std::min<int64_t>(next_wake_ms, 100)), nullptr);
  }
  curl_multi_cleanup(multi);
}

HttpOutcome run_http_call(const HttpCall& call, const HttpRunOptions& options) {
  HttpOutcome result;
  run_http_calls({call}, options, [&](size_t, HttpOutcome outcome) { result = std::move(outcome); });
  return result;
}

}  // namespace isrgen::publish
