#include "publish/warm.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "net/transfer_loop.h"
#include "util/fs.h"

namespace isrgen::publish {
namespace {

constexpr int64_t kMaxWarmAttemptMs = 30'000;     // one GET, however large the budget
constexpr int64_t kMaxWarmBodyBytes = 64 << 20;  // read and dropped: only the CDN keeps it

// A GET that is not worth retrying (the page is warmed by the next visitor
// anyway), bounded by what is left of the budget.
net::TransferPolicy warm_policy(int64_t remaining_ms) {
  net::TransferPolicy policy;
  policy.timeout_ms = std::clamp<int64_t>(remaining_ms, 1, kMaxWarmAttemptMs);
  policy.connect_timeout_ms = std::min<int64_t>(policy.timeout_ms, 5'000);
  policy.max_bytes = kMaxWarmBodyBytes;
  policy.retries = 0;
  policy.follow_redirects = true;
  return policy;
}

bool is_web_url(const std::string& url) { return url.starts_with("https://") || url.starts_with("http://"); }

}  // namespace

std::vector<std::string> public_urls_of_pages(const std::filesystem::path& out, const std::vector<std::string>& page_keys,
                                              std::vector<WarmedUrl>& unreachable) {
  std::vector<std::string> urls;
  for (const std::string& key : page_keys) {
    std::filesystem::path metadata = out / std::filesystem::path(key).parent_path() / "index.metadata.json";
    auto text = read_file(metadata);
    nlohmann::json json = text.ok() ? nlohmann::json::parse(text.value(), nullptr, false) : nlohmann::json();
    std::string permalink = json.is_object() && json.value("permalink", nlohmann::json()).is_string()
                                ? json["permalink"].get<std::string>()
                                : "";
    if (is_web_url(permalink)) urls.push_back(permalink);
    else unreachable.push_back({key, "skipped", 0, 0, "no public URL: give its tenant a base_url"});
  }
  return urls;
}

std::vector<WarmedUrl> warm_urls(const std::vector<std::string>& urls, const WarmConfig& config, const Clock& clock) {
  std::vector<WarmedUrl> results;
  const int64_t deadline = clock.now_unix_ms() + config.budget_ms;
  const size_t wave = static_cast<size_t>(std::max(1, config.concurrency));
  // In waves of `concurrency`, so the budget is checked before each GET starts.
  for (size_t at = 0; at < urls.size(); at += wave) {
    const int64_t remaining = deadline - clock.now_unix_ms();
    std::vector<net::Request> requests;
    for (size_t i = at; i < std::min(urls.size(), at + wave); ++i) {
      if (remaining <= 0) {
        results.push_back({urls[i], "skipped", 0, 0, "the warm budget was spent"});
        continue;
      }
      net::Request request;
      request.url = urls[i];
      requests.push_back(std::move(request));
    }
    if (requests.empty()) continue;
    net::LoopOptions loop;
    loop.max_parallel = static_cast<int>(wave);
    std::vector<WarmedUrl> batch(requests.size());
    net::run_transfers(requests, warm_policy(remaining), loop, [&](size_t index, net::Response response) {
      WarmedUrl& warmed = batch[index];
      warmed.url = requests[index].url;
      warmed.status = response.status;
      warmed.ms = response.elapsed_ms;
      warmed.outcome = response.ok() ? "warmed" : "failed";
      if (!response.ok()) warmed.error = response.error.empty() ? "HTTP " + std::to_string(response.status) : response.error;
    });
    results.insert(results.end(), batch.begin(), batch.end());
  }
  return results;
}

}  // namespace isrgen::publish
