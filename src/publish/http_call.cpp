#include "publish/http_call.h"

#include "net/transfer_loop.h"

namespace isrgen::publish {
namespace {

// An upload takes as long as its size needs: no limit on an attempt's time,
// only on a stall. Fixed limits, so errors name no setting.
net::TransferPolicy publisher_policy(const HttpRunOptions& options) {
  net::TransferPolicy policy;
  policy.connect_timeout_ms = options.connect_timeout_ms;
  policy.timeout_ms = 0;
  policy.low_speed_timeout_ms = options.low_speed_timeout_ms;
  policy.max_bytes = 16 << 20;
  policy.retries = options.retries;
  policy.retry_delay_ms = options.retry_delay_ms;
  policy.follow_redirects = false;
  return policy;
}

}  // namespace

void run_http_calls(const std::vector<net::Request>& calls, const HttpRunOptions& options,
                    const std::function<void(size_t index, net::Response outcome)>& on_done) {
  net::LoopOptions loop;
  loop.max_parallel = options.parallel;
  loop.max_retry_delay_ms = options.max_retry_delay_ms;
  net::run_transfers(calls, publisher_policy(options), loop, on_done);
}

net::Response run_http_call(const net::Request& call, const HttpRunOptions& options) {
  net::Response result;
  run_http_calls({call}, options, [&](size_t, net::Response outcome) { result = std::move(outcome); });
  return result;
}

}  // namespace isrgen::publish
