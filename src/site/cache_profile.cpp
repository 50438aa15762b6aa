#include "site/cache_profile.h"

#include <algorithm>

namespace isrgen {
namespace {

constexpr int64_t kMinute = 60, kHour = 60 * kMinute, kDay = 24 * kHour, kWeek = 7 * kDay, kMonth = 30 * kDay;

// The tighter of two times, where kNoBound is looser than any bound.
int64_t tighter(int64_t a, int64_t b) {
  if (a == kNoBound) return b;
  if (b == kNoBound) return a;
  return std::min(a, b);
}

nlohmann::json seconds_or_null(int64_t seconds) {
  return seconds == kNoBound ? nlohmann::json(nullptr) : nlohmann::json(seconds);
}

std::optional<int64_t> seconds_from(const nlohmann::json& value) {
  if (value.is_null()) return kNoBound;
  if (value.is_number_integer() && value.get<int64_t>() >= 0) return value.get<int64_t>();
  return std::nullopt;
}

}  // namespace

bool CacheProfile::same_times(const CacheProfile& other) const {
  return stale_seconds == other.stale_seconds && revalidate_seconds == other.revalidate_seconds &&
         expire_seconds == other.expire_seconds;
}

nlohmann::ordered_json CacheProfile::to_json() const {
  return {{"profile", name},
          {"stale", seconds_or_null(stale_seconds)},
          {"revalidate", seconds_or_null(revalidate_seconds)},
          {"expire", seconds_or_null(expire_seconds)}};
}

std::optional<CacheProfile> CacheProfile::from_json(const nlohmann::json& value) {
  if (!value.is_object() || !value.contains("profile") || !value["profile"].is_string()) return std::nullopt;
  CacheProfile profile;
  profile.name = value["profile"].get<std::string>();
  for (auto [key, field] : {std::pair{"stale", &profile.stale_seconds},
                            std::pair{"revalidate", &profile.revalidate_seconds},
                            std::pair{"expire", &profile.expire_seconds}}) {
    auto seconds = value.contains(key) ? seconds_from(value[key]) : std::nullopt;
    if (!seconds) return std::nullopt;
    *field = *seconds;
  }
  return profile;
}

// The values Next.js documents for its preset profiles (the declarations of
// cacheLife in next/cache, Next.js 16): every preset but `seconds` lets a
// browser keep a page 5 minutes; `default` and `max` never expire.
const std::map<std::string, CacheProfile, std::less<>>& builtin_cache_profiles() {
  static const std::map<std::string, CacheProfile, std::less<>> profiles = [] {
    std::map<std::string, CacheProfile, std::less<>> built;
    auto add = [&](const char* name, int64_t stale, int64_t revalidate, int64_t expire) {
      built.emplace(name, CacheProfile{name, stale, revalidate, expire, 0});
    };
    add("default", 5 * kMinute, 15 * kMinute, kNoBound);
    add("seconds", 30, 1, kMinute);
    add("minutes", 5 * kMinute, kMinute, kHour);
    add("hours", 5 * kMinute, kHour, kDay);
    add("days", 5 * kMinute, kDay, kWeek);
    add("weeks", 5 * kMinute, kWeek, kMonth);
    add("max", 5 * kMinute, kMonth, kNoBound);
    return built;
  }();
  return profiles;
}

CacheProfile tightest(const CacheProfile& a, const CacheProfile& b) {
  CacheProfile result;
  result.stale_seconds = tighter(a.stale_seconds, b.stale_seconds);
  result.revalidate_seconds = tighter(a.revalidate_seconds, b.revalidate_seconds);
  result.expire_seconds = tighter(a.expire_seconds, b.expire_seconds);
  result.name = result.same_times(a) ? a.name : result.same_times(b) ? b.name : a.name + "+" + b.name;
  return result;
}

}  // namespace isrgen
