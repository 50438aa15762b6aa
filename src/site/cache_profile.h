// Cache profiles: how long a page (or the data it shows) may be served before
// anyone looks again, in the three times of Next.js's cacheLife vocabulary.
//   stale       seconds a browser keeps its copy without asking;
//   revalidate  seconds a CDN (and a source's snapshot) stays fresh; past it a
//               copy is served while it is refreshed in the background;
//   expire      seconds past which a stale copy is no longer served.
// A page's profile is the tightest of everything it shows (tightest()).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace isrgen {

// A time with no bound ("never"): a source fetched once, a page kept until
// something it shows changes.
inline constexpr int64_t kNoBound = -1;

struct CacheProfile {
  std::string name;                    // "hours", a [cache.profiles.<name>], or "a+b" when combined
  int64_t stale_seconds = kNoBound;
  int64_t revalidate_seconds = kNoBound;
  int64_t expire_seconds = kNoBound;
  int line = 0;  // of its table in content/site.toml; 0 for a built-in

  // Equal times; the name and line do not count.
  bool same_times(const CacheProfile& other) const;
  // {"profile", "stale", "revalidate", "expire"}, null for a time with no bound:
  // how the page metadata records it.
  nlohmann::ordered_json to_json() const;
  // The reverse of to_json(); nullopt for anything that is not such an object.
  static std::optional<CacheProfile> from_json(const nlohmann::json& value);
};

// The profile of a page that names none, unless [cache] default says otherwise.
inline constexpr std::string_view kDefaultProfileName = "default";

// The built-in profiles by name: default, seconds, minutes, hours, days, weeks, max.
const std::map<std::string, CacheProfile, std::less<>>& builtin_cache_profiles();

// The minimum of each of the three times, independently (no bound loses to
// any bound). Named after the profile it equals, else "a+b".
CacheProfile tightest(const CacheProfile& a, const CacheProfile& b);

}  // namespace isrgen
