#include "publish/cache_headers.h"
#include "publish/cache_tags.h"

#include <catch2/catch.hpp>

#include "publish/object_headers.h"

using namespace isrgen;
using namespace isrgen::publish;

namespace {

const CacheProfile& builtin(const char* name) { return builtin_cache_profiles().at(name); }

DeployConfig deploy_with(const std::string& provider) {
  DeployConfig config;
  config.cache_control = "public, max-age=60";
  config.purge.provider = provider;
  config.rules = {{.match = "acme/legal/**", .cache_control = "no-store"}};
  return config;
}

}  // namespace

TEST_CASE("cache headers: a page's profile gives browsers and CDNs their times", "[cache]") {
  const DeployConfig config = deploy_with("");
  const std::string key = "acme/summer/index.html";
  CHECK(cache_headers(rules_for(config, key), key, &builtin("minutes")) ==
        HeaderList{{"Cache-Control", "public, max-age=300, must-revalidate"},
                   {"CDN-Cache-Control", "max-age=60, stale-while-revalidate=3540, stale-if-error=3540"}});
  // No bound is a year.
  CHECK(cache_headers(rules_for(config, key), key, &builtin("default")) ==
        HeaderList{{"Cache-Control", "public, max-age=300, must-revalidate"},
                   {"CDN-Cache-Control", "max-age=900, stale-while-revalidate=31536000, stale-if-error=31536000"}});
  CHECK(cache_headers(rules_for(config, key), key, &builtin("seconds")).at(1).second ==
        "max-age=1, stale-while-revalidate=59, stale-if-error=59");
}

TEST_CASE("cache headers: nothing is kept past expire, whichever times were left out or combined", "[cache]") {
  const std::string key = "acme/index.html";
  const ObjectRules rules = rules_for(deploy_with(""), key);
  auto header = [&](const CacheProfile& profile, const std::string& name) {
    for (const auto& [header_name, value] : cache_headers(rules, key, &profile))
      if (header_name == name) return value;
    return std::string();
  };
  CacheProfile only_expire;  // revalidate and stale left out: never, but expire says 60 s
  only_expire.expire_seconds = 60;
  CHECK(header(only_expire, "Cache-Control") == "public, max-age=60, must-revalidate");
  CHECK(header(only_expire, "CDN-Cache-Control") == "max-age=60, stale-while-revalidate=0, stale-if-error=0");
  // The default profile's revalidate (900) with a source that expires at 600.
  CacheProfile combined = tightest(builtin("default"), only_expire);
  combined.expire_seconds = 600;
  CHECK(header(combined, "CDN-Cache-Control") == "max-age=600, stale-while-revalidate=0, stale-if-error=0");
  CHECK(header(combined, "Cache-Control") == "public, max-age=300, must-revalidate");
}

TEST_CASE("cache headers: the purge provider's CDN gets its own header too", "[cache]") {
  const std::string key = "acme/index.html";
  const std::string cdn = "max-age=3600, stale-while-revalidate=82800, stale-if-error=82800";
  HeaderList fastly = cache_headers(rules_for(deploy_with("fastly"), key), key, &builtin("hours"));
  REQUIRE(fastly.size() == 3);
  CHECK(fastly[2] == std::pair<std::string, std::string>{"Surrogate-Control", cdn});
  HeaderList cloudflare = cache_headers(rules_for(deploy_with("cloudflare"), key), key, &builtin("hours"));
  REQUIRE(cloudflare.size() == 3);
  CHECK(cloudflare[2] == std::pair<std::string, std::string>{"Cloudflare-CDN-Cache-Control", cdn});
  CHECK(cache_headers(rules_for(deploy_with("cloudfront"), key), key, &builtin("hours")).size() == 2);
  CHECK(rules_for(deploy_with("fastly"), key).describe() != rules_for(deploy_with(""), key).describe());
}

TEST_CASE("cache headers: rules override, fingerprints are immutable, [deploy] cache_control is the rest's", "[cache]") {
  const DeployConfig config = deploy_with("fastly");
  CHECK(cache_headers(rules_for(config, "acme/legal/index.html"), "acme/legal/index.html", &builtin("hours")) ==
        HeaderList{{"Cache-Control", "no-store"}});
  CHECK(cache_headers(rules_for(config, "acme/app.3f9a0c1d.js"), "acme/app.3f9a0c1d.js", nullptr) ==
        HeaderList{{"Cache-Control", "public, max-age=31536000, immutable"}});
  CHECK(cache_headers(rules_for(config, "acme/logo.png"), "acme/logo.png", nullptr) ==
        HeaderList{{"Cache-Control", "public, max-age=60"}});
  CHECK(cache_headers(rules_for(DeployConfig{}, "acme/logo.png"), "acme/logo.png", nullptr).empty());
}

TEST_CASE("cache headers: what counts as a fingerprint", "[cache]") {
  CHECK(is_fingerprinted("acme/assets/app.3f9a0c1d.js"));
  CHECK(is_fingerprinted("site.0123456789ABCDEF.css"));
  // The names of image variants and fingerprinted copies (assets/asset_pipeline.h).
  CHECK(is_fingerprinted("acme/img/portrait-1.640w.5af7d5ef.webp"));
  CHECK(is_fingerprinted("acme/css/site.07eacf8d.css"));
  CHECK_FALSE(is_fingerprinted("acme/assets/app.3f9a0c1.js"));  // 7 digits
  CHECK_FALSE(is_fingerprinted("acme/assets/app.3f9a0c1z.js"));
  CHECK_FALSE(is_fingerprinted("acme/3f9a0c1d.js"));  // the whole name, not a part of it
  CHECK_FALSE(is_fingerprinted("acme/deadbeef00/index.html"));
  CHECK_FALSE(is_fingerprinted("acme/app.3f9a0c1d"));
}

TEST_CASE("object headers: a bucket stores the CDN's headers as user metadata", "[cache]") {
  const std::string key = "acme/summer/index.html";
  HeaderList headers = object_headers(rules_for(deploy_with("cloudflare"), key), key, &builtin("minutes"), {"page:acme/summer"});
  const std::string cdn = "max-age=60, stale-while-revalidate=3540, stale-if-error=3540";
  CHECK(headers == HeaderList{{"Content-Type", "text/html; charset=utf-8"},
                              {"Cache-Control", "public, max-age=300, must-revalidate"},
                              {"x-amz-meta-cdn-cache-control", cdn},
                              {"x-amz-meta-cloudflare-cdn-cache-control", cdn},
                              {"x-amz-meta-cache-tag", "page:acme/summer"}});
}

TEST_CASE("object headers: a page's cache tags travel as the one header its CDN reads", "[cache]") {
  const std::string key = "acme/summer/index.html";
  const std::vector<std::string> tags = {"page:acme/summer", "tenant:acme"};
  // Fastly's S3 setup copies x-amz-meta-surrogate-key into Surrogate-Key.
  HeaderList fastly = object_headers(rules_for(deploy_with("fastly"), key), key, nullptr, tags);
  CHECK(fastly.back() == std::pair<std::string, std::string>{"x-amz-meta-surrogate-key", "page:acme/summer tenant:acme"});
  HeaderList other = object_headers(rules_for(deploy_with("cloudfront"), key), key, nullptr, tags);
  CHECK(other.back() == std::pair<std::string, std::string>{"x-amz-meta-cache-tag", "page:acme/summer,tenant:acme"});
  for (const HeaderList& headers : {fastly, other})
    for (const auto& [name, value] : headers) CHECK(name != "Surrogate-Key");  // S3 would drop it
  CHECK(cache_tag_header("fastly", tags) == std::pair<std::string, std::string>{"Surrogate-Key", "page:acme/summer tenant:acme"});
  CHECK(cache_tag_header("", tags) == std::pair<std::string, std::string>{"Cache-Tag", "page:acme/summer,tenant:acme"});
}
