#include "data/curl_fetcher.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>

#include <curl/curl.h>

#include "data/curl_transfer.h"

namespace isrgen::data {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Idle waits are cut to this, so a wait never outlasts what libcurl expects.
constexpr int kLongestPollMs = 1000;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

int64_t ms_between(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

// One fetch_all: the transfers move from `ready_` into the multi handle,
// and out again either finished or into `waiting_` until their retry is due.
// A waiting transfer holds no handle in the multi, so it blocks nothing.
class BatchRun {
 public:
  BatchRun(const CurlFetcherOptions& options, const RandomUpTo& random)
      : options_(options),
        random_(random),
        max_in_flight_(std::max(options.max_parallel, 1)),
        multi_(curl_multi_init()) {
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(max_in_flight_));
  }
  ~BatchRun() { curl_multi_cleanup(multi_); }
  BatchRun(const BatchRun&) = delete;
  BatchRun& operator=(const BatchRun&) = delete;

  void add(CurlTransfer& transfer) {
    // One that could not be set up already carries its error and never runs.
    if (transfer.ready()) ready_.push_back(&transfer);
  }

  void run() {
    for (;;) {
      start_due_retries();
      start_ready();
      int running = 0;
      curl_multi_perform(multi_, &running);
      collect_finished();
      if (in_flight_ == 0 && ready_.empty() && waiting_.empty()) return;
      curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(), nullptr);
    }
  }

 private:
  struct Retry {
    SteadyClock::time_point due;
    CurlTransfer* transfer;
  };

  void start_ready() {
    while (!ready_.empty() && in_flight_ < max_in_flight_) {
      CurlTransfer& transfer = *ready_.front();
      ready_.pop_front();
      transfer.begin_attempt();
      start(transfer);
    }
  }

  // The first request of an attempt, or the next hop of a redirect the
  // transfer follows itself.
  void start(CurlTransfer& transfer) {
    CURLMcode added = options_.add_handle ? options_.add_handle(multi_, transfer.handle())
                                          : curl_multi_add_handle(multi_, transfer.handle());
    if (added != CURLM_OK) {
      // Never in flight, so no message will ever finish it: finish it here.
      finish_attempt(transfer, transfer.refused_start(added));
      return;
    }
    ++in_flight_;
  }

  void start_due_retries() {
    SteadyClock::time_point now = SteadyClock::now();
    auto not_due = std::stable_partition(waiting_.begin(), waiting_.end(), [&](const Retry& retry) {
      return retry.due <= now;
    });
    for (auto it = waiting_.begin(); it != not_due; ++it) ready_.push_back(it->transfer);
    waiting_.erase(waiting_.begin(), not_due);
  }

  void collect_finished() {
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      // The message is gone once its handle leaves the multi: read it first.
      CURL* handle = message->easy_handle;
      CURLcode result = message->data.result;
      curl_multi_remove_handle(multi_, handle);
      --in_flight_;
      CurlTransfer& transfer = CurlTransfer::of(handle);
      AttemptEnd end = transfer.end_attempt(result);
      if (end.next_hop)
        start(transfer);
      else
        finish_attempt(transfer, end);
    }
  }

  void finish_attempt(CurlTransfer& transfer, AttemptEnd end) {
    SteadyClock::time_point now = SteadyClock::now();
    const HttpRequest& request = transfer.request();
    if (end.transient && transfer.response().attempts <= request.retries) {
      BackoffPolicy policy{request.retry_delay_ms, options_.max_retry_delay_ms};
      int64_t delay = retry_delay_ms(policy, transfer.response().attempts, end.retry_after_ms, random_);
      waiting_.push_back(Retry{now + std::chrono::milliseconds(delay), &transfer});
      return;
    }
    transfer.response().elapsed_ms = ms_between(transfer.first_attempt_started(), now);
  }

  // Until the next retry is due; libcurl shortens it further when its own
  // timers (timeouts, new transfers) need attention sooner.
  int poll_timeout_ms() const {
    if (waiting_.empty()) return kLongestPollMs;
    SteadyClock::time_point next = std::min_element(waiting_.begin(), waiting_.end(), [](const Retry& a, const Retry& b) {
                                     return a.due < b.due;
                                   })->due;
    // Rounded up: waking a fraction of a millisecond early would only spin.
    auto until_next = std::chrono::ceil<std::chrono::milliseconds>(next - SteadyClock::now()).count();
    return static_cast<int>(std::clamp<int64_t>(until_next, 0, kLongestPollMs));
  }

  const CurlFetcherOptions& options_;
  const RandomUpTo& random_;
  const int max_in_flight_;
  CURLM* multi_;
  std::deque<CurlTransfer*> ready_;
  std::vector<Retry> waiting_;
  int in_flight_ = 0;
};

}  // namespace

CurlFetcher::CurlFetcher(CurlFetcherOptions options) : options_(std::move(options)) {}

std::vector<HttpResponse> CurlFetcher::fetch_all(const std::vector<HttpRequest>& requests) {
  // Initialising libcurl (and with it TLS) takes milliseconds: only a run that
  // fetches pays for it, not every build of a site whose snapshots are fresh.
  init_curl_once();
  RandomUpTo random = options_.random ? options_.random : seeded_random_up_to();
  std::vector<std::unique_ptr<CurlTransfer>> transfers;
  transfers.reserve(requests.size());
  {
    // The run ends before the transfers die: the multi handle must let go of
    // every easy handle before they are cleaned up.
    BatchRun run(options_, random);
    for (const HttpRequest& request : requests) {
      transfers.push_back(std::make_unique<CurlTransfer>(request));
      run.add(*transfers.back());
    }
    run.run();
  }
  std::vector<HttpResponse> responses;
  responses.reserve(transfers.size());
  for (auto& transfer : transfers) responses.push_back(std::move(transfer->response()));
  return responses;
}

}  // namespace isrgen::data
