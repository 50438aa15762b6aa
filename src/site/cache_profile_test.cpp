#include "site/cache_profile.h"

#include <catch2/catch.hpp>

#include "site/page_cache.h"
#include "site/page_file.h"
#include "site/site_config.h"

using namespace isrgen;

namespace {

const CacheProfile& builtin(const char* name) { return builtin_cache_profiles().at(name); }

SiteConfig site(const std::string& tables) {
  auto parsed = parse_site_config("[tenants.a]\nbase_url = \"https://a\"\n" + tables, "content/site.toml");
  REQUIRE(parsed.ok());
  return parsed.value();
}

Error site_error(const std::string& tables) {
  auto parsed = parse_site_config("[tenants.a]\nbase_url = \"https://a\"\n" + tables, "content/site.toml");
  REQUIRE_FALSE(parsed.ok());
  return parsed.error();
}

PageFile page(const std::string& text) {
  auto parsed = parse_page_file(text, "content/pages/a/p.md");
  REQUIRE(parsed.ok());
  return parsed.value();
}

}  // namespace

TEST_CASE("cache profiles: the built-ins carry Next.js's values", "[cache]") {
  CHECK(builtin_cache_profiles().size() == 7);
  auto times = [](const CacheProfile& p) { return std::vector<int64_t>{p.stale_seconds, p.revalidate_seconds, p.expire_seconds}; };
  CHECK(times(builtin("default")) == std::vector<int64_t>{300, 900, kNoBound});
  CHECK(times(builtin("seconds")) == std::vector<int64_t>{30, 1, 60});
  CHECK(times(builtin("minutes")) == std::vector<int64_t>{300, 60, 3600});
  CHECK(times(builtin("hours")) == std::vector<int64_t>{300, 3600, 86400});
  CHECK(times(builtin("days")) == std::vector<int64_t>{300, 86400, 604800});
  CHECK(times(builtin("weeks")) == std::vector<int64_t>{300, 604800, 2592000});
  CHECK(times(builtin("max")) == std::vector<int64_t>{300, 2592000, kNoBound});
}

TEST_CASE("cache profiles: tightest takes each time's minimum on its own", "[cache]") {
  CacheProfile browser_long{"slow-browser", 3600, 60, kNoBound, 0};
  CacheProfile cdn_long{"slow-cdn", 60, 3600, 7200, 0};
  CacheProfile both = tightest(browser_long, cdn_long);
  CHECK(both.stale_seconds == 60);
  CHECK(both.revalidate_seconds == 60);
  CHECK(both.expire_seconds == 7200);  // no bound loses to any bound
  CHECK(both.name == "slow-browser+slow-cdn");
  CHECK(tightest(builtin("default"), builtin("minutes")).name == "minutes");  // equal to one of them: its name
  CHECK(tightest(builtin("hours"), CacheProfile{"free", kNoBound, kNoBound, kNoBound, 0}).name == "hours");
}

TEST_CASE("cache profiles: the metadata form reads back, null for no bound", "[cache]") {
  CacheProfile profile{"max", 300, 2592000, kNoBound, 0};
  nlohmann::ordered_json json = profile.to_json();
  CHECK(json.dump() == R"({"profile":"max","stale":300,"revalidate":2592000,"expire":null})");
  auto back = CacheProfile::from_json(json);
  REQUIRE(back);
  CHECK(back->name == "max");
  CHECK(back->same_times(profile));
  CHECK_FALSE(CacheProfile::from_json(nlohmann::json::parse(R"({"profile":"x","stale":-5,"revalidate":1,"expire":2})")));
  CHECK_FALSE(CacheProfile::from_json(nlohmann::json::parse(R"({"stale":1,"revalidate":1,"expire":2})")));
  CHECK_FALSE(CacheProfile::from_json(nlohmann::json::parse(R"("hours")")));
}

TEST_CASE("cache profiles: [cache.profiles], [cache] default and sources in site.toml", "[cache]") {
  SiteConfig config = site(R"(
[cache]
default = "blog"

[cache.profiles.blog]
stale = 600
revalidate = 900
expire = 86400

[cache.profiles.hours]
revalidate = 1800

[profiles.legacy]
revalidate = 120

[sources.jobs]
url = "https://api.example.com/jobs"
cache = "minutes"

[sources.posts]
url = "https://api.example.com/posts"
revalidate = 300

[sources.feed]
url = "https://api.example.com/feed"
profile = "legacy"
expire = 600
)");
  CHECK(config.default_profile == "blog");
  const CacheProfile& blog = *config.find_profile("blog");
  CHECK((blog.stale_seconds == 600 && blog.revalidate_seconds == 900 && blog.expire_seconds == 86400));
  CHECK(blog.line == 7);
  // A redefined built-in: what it leaves out is no bound, but a browser keeps a page 5 minutes.
  const CacheProfile& hours = *config.find_profile("hours");
  CHECK((hours.stale_seconds == 300 && hours.revalidate_seconds == 1800 && hours.expire_seconds == kNoBound));
  CHECK(config.find_profile("legacy")->revalidate_seconds == 120);

  const SourceConfig& jobs = config.sources.at("jobs");
  CHECK((jobs.revalidate_seconds == 60 && jobs.expire_seconds == 3600 && jobs.stale_seconds == 300));
  CHECK(jobs.page_cache().name == "minutes");
  CacheProfile posts = config.sources.at("posts").page_cache();  // no profile: its revalidate alone
  CHECK((posts.name == "source:posts" && posts.stale_seconds == kNoBound && posts.revalidate_seconds == 300 &&
         posts.expire_seconds == kNoBound));
  const SourceConfig& feed = config.sources.at("feed");
  CHECK((feed.revalidate_seconds == 120 && feed.expire_seconds == 600));
}

TEST_CASE("cache profiles: bad settings are errors at their line", "[cache]") {
  CHECK(site_error("[cache]\ndefault = \"hourly\"\n").to_string().starts_with(
      "content/site.toml:4: unknown cache profile 'hourly' (profiles: days, default, hours, max, minutes, seconds, weeks"));
  CHECK(site_error("[cache.profiles.p]\nrevalidate = 600\nexpire = 60\n").message.find(
            "must not be shorter than revalidate") != std::string::npos);
  CHECK(site_error("[cache.profiles.p]\nstale = \"5m\"\n").to_string() ==
        "content/site.toml:4: [cache.profiles.p] stale must be a whole number of seconds >= 0");
  CHECK(site_error("[cache.profiles.p]\nttl = 5\n").message.find("unknown setting 'ttl'") != std::string::npos);
  CHECK(site_error("[cache]\nttl = 5\n").message.find("unknown setting 'ttl' in [cache]") != std::string::npos);
  CHECK(site_error("[profiles.p]\nrevalidate = 1\n[cache.profiles.p]\nrevalidate = 2\n").message ==
        "cache profile 'p' is defined twice");
  CHECK(site_error("[sources.j]\nurl = \"https://x\"\ncache = \"hours\"\nprofile = \"hours\"\n").message.find(
            "names its profile twice") != std::string::npos);
  CHECK(site_error("[sources.j]\nurl = \"https://x\"\ncache = 60\n").line == 5);
}

TEST_CASE("page cache: the tightest of the page, its components and their remote sources", "[cache]") {
  SiteConfig config = site(R"(
[sources.jobs]
url = "https://api.example.com/jobs"
cache = "minutes"

[sources.models]
file = "data/models.json"
)");
  auto profile_of = [&](const std::string& text) {
    auto profile = page_cache_profile(config, page(text));
    REQUIRE(profile.ok());
    return profile.value();
  };
  CHECK(profile_of("---\ntitle: x\n---\n").name == "default");
  CHECK(profile_of("---\ncache: days\n---\n").name == "days");
  // A local data file has no time bound: the page keeps its own profile.
  CHECK(profile_of("---\ncache: days\nsections:\n  - components:\n      - type: M\n        source: models\n---\n")
            .name == "days");
  CacheProfile with_jobs =
      profile_of("---\ncache: max\nsections:\n  - components:\n      - type: J\n        source: jobs\n---\n");
  CHECK(with_jobs.name == "minutes");
  CHECK(with_jobs.revalidate_seconds == 60);
  CacheProfile component = profile_of("---\nsections:\n  - components:\n      - type: T\n        cache: seconds\n---\n");
  CHECK((component.name == "seconds" && component.stale_seconds == 30 && component.revalidate_seconds == 1));

  auto error_of = [&](const std::string& text) {
    auto profile = page_cache_profile(config, page(text));
    REQUIRE_FALSE(profile.ok());
    return profile.error().to_string();
  };
  CHECK(error_of("---\ntitle: x\ncache: hourly\n---\n").starts_with(
      "content/pages/a/p.md:3: unknown cache profile 'hourly' for the page (profiles: days, default,"));
  CHECK(error_of("---\nsections:\n  - components:\n      - id: t\n        type: T\n        cache: nope\n---\n")
            .starts_with("content/pages/a/p.md:4: unknown cache profile 'nope' for component 't'"));
  CHECK(error_of("---\ncache: [hours]\n---\n") ==
        "content/pages/a/p.md:2: cache must be a cache profile name, e.g. cache: hours");
}
