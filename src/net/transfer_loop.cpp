#include "net/transfer_loop.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

#include "net/transfer.h"

namespace isrgen::net {
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

// One batch: requests move from `ready_` into the multi handle, and out again
// either finished or into `waiting_` until their retry is due. A transfer
// (and its easy handle) exists only from its first attempt until it is
// reported, so a batch of thousands holds only what is under way.
class BatchRun {
 public:
  BatchRun(const std::vector<Request>& requests, const TransferPolicy* policies, bool one_policy,
           const LoopOptions& options, const RandomUpTo& random, const OnDone& on_done)
      : requests_(requests),
        policies_(policies),
        one_policy_(one_policy),
        options_(options),
        random_(random),
        on_done_(on_done),
        max_in_flight_(std::max(options.max_parallel, 1)),
        multi_(curl_multi_init()) {
    if (multi_) curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(max_in_flight_));
    for (size_t index = 0; index < requests.size(); ++index) ready_.push_back(index);
  }
  ~BatchRun() {
    // The multi handle must let go of every easy handle before they are cleaned up.
    for (auto& [handle, transfer] : in_flight_) curl_multi_remove_handle(multi_, handle);
    in_flight_.clear();
    curl_multi_cleanup(multi_);
  }
  BatchRun(const BatchRun&) = delete;
  BatchRun& operator=(const BatchRun&) = delete;

  void run() {
    if (!multi_) {
      for (size_t index : ready_) report(index, failed("could not set up HTTP transfers (out of memory?)"));
      return;
    }
    for (;;) {
      start_due_retries();
      start_ready();
      if (!in_flight_.empty()) {
        int running = 0;
        curl_multi_perform(multi_, &running);
        collect_finished();
      }
      if (in_flight_.empty() && !has_queued() && waiting_.empty()) return;
      // A transfer that just ended freed a slot for one queued: start it now,
      // not after the poll's wait.
      if (has_queued() && in_flight_.size() < static_cast<size_t>(max_in_flight_)) continue;
      curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(), nullptr);
    }
  }

 private:
  // Requests and due retries waiting for a free slot.
  bool has_queued() const { return !ready_.empty() || !retries_due_.empty(); }

  struct Retry {
    SteadyClock::time_point due;
    std::unique_ptr<Transfer> transfer;
  };

  const TransferPolicy& policy_of(size_t index) const { return one_policy_ ? policies_[0] : policies_[index]; }

  static Response failed(std::string error) {
    Response response;
    response.error = std::move(error);
    return response;
  }

  void start_ready() {
    while (!ready_.empty() && in_flight_.size() < static_cast<size_t>(max_in_flight_)) {
      size_t index = ready_.front();
      ready_.pop_front();
      auto transfer = std::make_unique<Transfer>(requests_[index], policy_of(index));
      // One that cannot be set up carries its error and never runs.
      if (!transfer->ready()) {
        report(index, std::move(transfer->response()));
        continue;
      }
      indices_[transfer.get()] = index;
      begin(std::move(transfer));
    }
  }

  // A first attempt or a retry.
  void begin(std::unique_ptr<Transfer> transfer) {
    if (!transfer->begin_attempt()) {
      finish_attempt(std::move(transfer), AttemptEnd{});
      return;
    }
    start(std::move(transfer));
  }

  // The first request of an attempt, or the next hop of a redirect.
  void start(std::unique_ptr<Transfer> transfer) {
    CURL* handle = transfer->handle();
    CURLMcode added =
        options_.add_handle ? options_.add_handle(multi_, handle) : curl_multi_add_handle(multi_, handle);
    if (added != CURLM_OK) {
      // Never in flight, so no message will ever finish it: finish it here.
      AttemptEnd end = transfer->refused_start(added);
      finish_attempt(std::move(transfer), end);
      return;
    }
    in_flight_.emplace(handle, std::move(transfer));
  }

  void start_due_retries() {
    SteadyClock::time_point now = SteadyClock::now();
    auto not_due = std::stable_partition(waiting_.begin(), waiting_.end(), [&](const Retry& retry) {
      return retry.due <= now;
    });
    // Taken out first: a retry that cannot start may queue another.
    std::vector<std::unique_ptr<Transfer>> due;
    for (auto it = waiting_.begin(); it != not_due; ++it) due.push_back(std::move(it->transfer));
    waiting_.erase(waiting_.begin(), not_due);
    for (auto& transfer : due) retries_due_.push_back(std::move(transfer));
    while (!retries_due_.empty() && in_flight_.size() < static_cast<size_t>(max_in_flight_)) {
      std::unique_ptr<Transfer> transfer = std::move(retries_due_.front());
      retries_due_.pop_front();
      begin(std::move(transfer));
    }
  }

  void collect_finished() {
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      // The message is gone once its handle leaves the multi: read it first.
      CURL* handle = message->easy_handle;
      CURLcode result = message->data.result;
      curl_multi_remove_handle(multi_, handle);
      auto node = in_flight_.extract(handle);
      std::unique_ptr<Transfer> transfer = std::move(node.mapped());
      AttemptEnd end = transfer->end_attempt(result);
      if (end.next_hop)
        start(std::move(transfer));
      else
        finish_attempt(std::move(transfer), end);
    }
  }

  void finish_attempt(std::unique_ptr<Transfer> transfer, AttemptEnd end) {
    SteadyClock::time_point now = SteadyClock::now();
    const TransferPolicy& policy = transfer->policy();
    if (end.transient && transfer->response().attempts <= policy.retries) {
      BackoffPolicy backoff{policy.retry_delay_ms, options_.max_retry_delay_ms};
      int64_t delay = retry_delay_ms(backoff, transfer->response().attempts, end.retry_after_ms, random_);
      waiting_.push_back(Retry{now + std::chrono::milliseconds(delay), std::move(transfer)});
      return;
    }
    transfer->response().elapsed_ms = ms_between(transfer->first_attempt_started(), now);
    size_t index = indices_.at(transfer.get());
    indices_.erase(transfer.get());
    Response response = std::move(transfer->response());
    transfer.reset();  // its handle and body file go before the caller hears of it
    report(index, std::move(response));
  }

  void report(size_t index, Response response) { on_done_(index, std::move(response)); }

  // Until the next retry is due; libcurl shortens it further when its own
  // timers (timeouts, new transfers) need attention sooner, and a transfer
  // that ends (freeing a slot for what is queued) wakes it.
  int poll_timeout_ms() const {
    if (waiting_.empty()) return kLongestPollMs;
    SteadyClock::time_point next = std::min_element(waiting_.begin(), waiting_.end(), [](const Retry& a, const Retry& b) {
                                     return a.due < b.due;
                                   })->due;
    // Rounded up: waking a fraction of a millisecond early would only spin.
    auto until_next = std::chrono::ceil<std::chrono::milliseconds>(next - SteadyClock::now()).count();
    return static_cast<int>(std::clamp<int64_t>(until_next, 0, kLongestPollMs));
  }

  const std::vector<Request>& requests_;
  const TransferPolicy* policies_;
  const bool one_policy_;
  const LoopOptions& options_;
  const RandomUpTo& random_;
  const OnDone& on_done_;
  const int max_in_flight_;
  CURLM* multi_;
  std::deque<size_t> ready_;                           // not yet begun
  std::vector<Retry> waiting_;                         // until their retry is due
  std::deque<std::unique_ptr<Transfer>> retries_due_;  // due, waiting for a free slot
  std::map<CURL*, std::unique_ptr<Transfer>> in_flight_;
  std::map<const Transfer*, size_t> indices_;  // which request each transfer carries
};

void run_batch(const std::vector<Request>& requests, const TransferPolicy* policies, bool one_policy,
               const LoopOptions& options, const OnDone& on_done) {
  if (requests.empty()) return;
  // Initialising libcurl (and with it TLS) takes milliseconds: only a run that
  // sends something pays for it, not every build of a site whose snapshots are fresh.
  init_curl_once();
  RandomUpTo random = options.random ? options.random : seeded_random_up_to();
  BatchRun run(requests, policies, one_policy, options, random, on_done);
  run.run();
}

}  // namespace

void run_transfers(const std::vector<Request>& requests, const std::vector<TransferPolicy>& policies,
                   const LoopOptions& options, const OnDone& on_done) {
  run_batch(requests, policies.data(), false, options, on_done);
}

void run_transfers(const std::vector<Request>& requests, const TransferPolicy& policy, const LoopOptions& options,
                   const OnDone& on_done) {
  run_batch(requests, &policy, true, options, on_done);
}

}  // namespace isrgen::net
