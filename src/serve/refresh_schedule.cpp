#include "serve/refresh_schedule.h"

#include <set>

#include "engine/page_staleness.h"
#include "site/dependency_tag.h"

namespace isrgen::serve {
namespace {

// A refresh queued or running; no second one is queued for the source.
constexpr int64_t kRefreshPending = INT64_MAX;
constexpr auto kRefreshTick = std::chrono::seconds(1);

}  // namespace

RefreshSchedule::~RefreshSchedule() { stop_timer(); }

void RefreshSchedule::schedule(const std::vector<std::string>& sources) {
  std::vector<std::string> due;
  {
    std::lock_guard lock(mutex_);
    int64_t now = clock_.now_unix_ms();
    for (const std::string& source : sources) {
      int64_t& not_before = refreshing_[source];
      if (not_before > now) continue;
      not_before = kRefreshPending;
      due.push_back(source);
    }
  }
  if (due.empty() || queue_(JobRequest{revalidation_tags(due), {}, std::nullopt})) return;
  std::lock_guard lock(mutex_);  // not queued: the next stale request tries again
  for (const std::string& source : due) refreshing_.erase(source);
}

void RefreshSchedule::settle(const MergedWork& work, const BuildReport* report) {
  std::set<std::string> failed;
  if (report)
    for (const FetchEntry& fetch : report->fetched)
      if (fetch.outcome == data::FetchResult::kFailed) failed.insert(fetch.source);
  std::lock_guard lock(mutex_);
  int64_t now = clock_.now_unix_ms();
  for (const std::string& tag : work.tags) {
    const auto parsed = DependencyTag::parse(tag);
    if (!parsed || parsed->kind != TagKind::kSource) continue;
    auto entry = refreshing_.find(parsed->name);
    if (entry == refreshing_.end()) continue;
    if (!report || failed.contains(entry->first)) entry->second = now + kRefreshRetryMs;
    else refreshing_.erase(entry);
  }
}

void RefreshSchedule::start_timer(std::function<std::vector<std::string>()> stale_now) {
  timer_ = std::thread([this, stale_now = std::move(stale_now)] {
    std::unique_lock lock(timer_mutex_);
    while (!timer_wake_.wait_for(lock, kRefreshTick, [this] { return timer_stopping_; })) {
      lock.unlock();
      schedule(stale_now());
      lock.lock();
    }
  });
}

void RefreshSchedule::stop_timer() {
  {
    std::lock_guard lock(timer_mutex_);
    timer_stopping_ = true;
  }
  timer_wake_.notify_all();
  if (timer_.joinable()) timer_.join();
}

}  // namespace isrgen::serve
