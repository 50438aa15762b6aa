#include "publish/cache_headers.h"

#include <algorithm>
#include <cctype>

namespace isrgen::publish {
namespace {

int64_t bounded(int64_t seconds) { return seconds == kNoBound ? kLongestCacheSeconds : seconds; }

// The profile's times as sent: each bounded, and none past expire (a copy is
// never served past it, fresh or stale), whichever profiles the times came
// from and whichever of them were left out.
struct SentTimes {
  int64_t stale, revalidate, expire;
  bool expires;  // false: never (a stale copy may be served for as long as a CDN keeps one)
};
SentTimes sent_times(const CacheProfile& profile) {
  const int64_t expire = bounded(profile.expire_seconds);
  return {std::min(bounded(profile.stale_seconds), expire), std::min(bounded(profile.revalidate_seconds), expire),
          expire, profile.expire_seconds != kNoBound};
}

// What a CDN is told: fresh for revalidate, then served stale while it asks
// the origin again, or while the origin fails, until expire.
std::string cdn_directives(const SentTimes& times) {
  const int64_t stale_window = times.expires ? times.expire - times.revalidate : kLongestCacheSeconds;
  std::string window = std::to_string(stale_window);
  return "max-age=" + std::to_string(times.revalidate) + ", stale-while-revalidate=" + window +
         ", stale-if-error=" + window;
}

}  // namespace

bool is_fingerprinted(std::string_view key) {
  std::string_view name = key.substr(key.rfind('/') + 1);
  size_t extension = name.rfind('.');
  if (extension == std::string_view::npos || extension == 0) return false;
  std::string_view stem = name.substr(0, extension);
  size_t dot = stem.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view hash = stem.substr(dot + 1);
  return hash.size() >= 8 && std::all_of(hash.begin(), hash.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

HeaderList cache_headers(const ObjectRules& rules, std::string_view key, const CacheProfile* page_cache) {
  if (rules.cache_control_from_rule) return {{"Cache-Control", rules.cache_control}};
  if (page_cache) {
    const SentTimes times = sent_times(*page_cache);
    std::string cdn = cdn_directives(times);
    HeaderList headers{
        {"Cache-Control", "public, max-age=" + std::to_string(times.stale) + ", must-revalidate"},
        {"CDN-Cache-Control", cdn}};
    if (rules.cdn == "fastly") headers.emplace_back("Surrogate-Control", cdn);
    if (rules.cdn == "cloudflare") headers.emplace_back("Cloudflare-CDN-Cache-Control", cdn);
    return headers;
  }
  if (is_fingerprinted(key)) return {{"Cache-Control", "public, max-age=31536000, immutable"}};
  if (!rules.cache_control.empty()) return {{"Cache-Control", rules.cache_control}};
  return {};
}

}  // namespace isrgen::publish
