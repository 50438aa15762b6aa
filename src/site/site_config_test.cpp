#include "site/site_config.h"

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {
const char* kValid = R"(
[site]
title = "Promo"
default_language = "de"
languages = ["en", "de", "fr"]

[tenants.acme]
name = "Acme Talent"
base_url = "https://acme.example/"
tagline = "Find your role"
[tenants.acme.lang.de]
tagline = "Finde deine Rolle"

[sources.models]
file = "data/models.json"

[sources.jobs]
url = "https://api.example.com/jobs"
revalidate = 300
headers = { Authorization = "Bearer ${JOBS_TOKEN}" }
)";
}

TEST_CASE("parse_site_config reads site, tenants and sources") {
  auto parsed = parse_site_config(kValid, "content/site.toml");
  REQUIRE(parsed.ok());
  const SiteConfig& config = parsed.value();
  CHECK(config.default_language == "de");
  CHECK(config.languages == std::vector<std::string>{"de", "en", "fr"});
  CHECK(config.site_table["title"] == "Promo");
  const TenantConfig& acme = config.tenants.at("acme");
  CHECK(acme.name == "Acme Talent");
  CHECK(acme.base_url == "https://acme.example");
  CHECK(acme.table["id"] == "acme");
  CHECK(acme.table["lang"]["de"]["tagline"] == "Finde deine Rolle");
  CHECK(config.sources.at("models").file == "data/models.json");
  CHECK_FALSE(config.sources.at("models").is_remote());
  CHECK(config.sources.at("jobs").revalidate_seconds == 300);
  CHECK(config.sources.at("jobs").headers["Authorization"] == "Bearer ${JOBS_TOKEN}");
}

TEST_CASE("parse_site_config errors carry file and line") {
  SECTION("TOML syntax") {
    auto parsed = parse_site_config("[site]\ntitle = \n", "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().line == 2);
    CHECK(parsed.error().to_string().starts_with("content/site.toml:2:"));
  }
  SECTION("precache not a boolean") {
    auto parsed = parse_site_config("[tenants.acme]\nbase_url = \"https://a.example\"\nprecache = \"yes\"\n",
                                    "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().to_string() == "content/site.toml:3: precache of tenant 'acme' must be true or false");
  }
  SECTION("missing base_url") {
    auto parsed = parse_site_config("[tenants.acme]\nname = \"A\"\n", "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().to_string() == "content/site.toml:1: [tenants.acme] needs base_url = \"https://...\"");
  }
  SECTION("default language not listed") {
    auto parsed = parse_site_config("[site]\ndefault_language = \"fr\"\nlanguages = [\"en\"]\n[tenants.a]\nbase_url = \"https://a\"\n",
                                    "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("'fr' is not in [site] languages") != std::string::npos);
  }
  SECTION("source with both file and url") {
    auto parsed = parse_site_config(
        "[tenants.a]\nbase_url = \"https://a\"\n[sources.x]\nfile = \"a.json\"\nurl = \"https://x\"\n", "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("exactly one of file") != std::string::npos);
  }
  SECTION("unknown source setting") {
    auto parsed = parse_site_config("[tenants.a]\nbase_url = \"https://a\"\n[sources.x]\nfile = \"a.json\"\nfiel = 1\n",
                                    "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().line == 5);
    CHECK(parsed.error().message.find("unknown setting 'fiel'") != std::string::npos);
  }
  SECTION("no tenants") {
    auto parsed = parse_site_config("[site]\n", "content/site.toml");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("no tenants") != std::string::npos);
  }
}

namespace {
Result<SiteConfig> parse_with_sources(const std::string& tables) {
  return parse_site_config("[tenants.a]\nbase_url = \"https://a\"\n" + tables, "content/site.toml");
}
}  // namespace

TEST_CASE("remote sources take fetch settings, times from a profile, and a fallback") {
  auto parsed = parse_with_sources(R"(
[profiles.hours]
revalidate = 3600
expire = 86400

[sources.jobs]
url = "https://api.example.com/jobs"
profile = "hours"
items_path = "data.items"
fallback = "data/jobs.json"
timeout = 2.5
connect_timeout = 1
retries = 5
retry_delay = 0.1
max_bytes = 1_000_000

[sources.posts]
url = "https://api.example.com/posts"
profile = "hours"
revalidate = 60
)");
  REQUIRE(parsed.ok());
  const SourceConfig& jobs = parsed.value().sources.at("jobs");
  CHECK(jobs.revalidate_seconds == 3600);
  CHECK(jobs.expire_seconds == 86400);
  CHECK(jobs.items_path == "data.items");
  CHECK(jobs.fallback == "data/jobs.json");
  CHECK(jobs.fetch.timeout_ms == 2500);
  CHECK(jobs.fetch.connect_timeout_ms == 1000);
  CHECK(jobs.fetch.retries == 5);
  CHECK(jobs.fetch.retry_delay_ms == 100);
  CHECK(jobs.fetch.max_bytes == 1'000'000);
  const SourceConfig& posts = parsed.value().sources.at("posts");
  CHECK(posts.revalidate_seconds == 60);  // its own time wins over the profile's
  CHECK(posts.expire_seconds == 86400);
  CHECK(posts.fetch.timeout_ms == 30'000);  // defaults
  CHECK(posts.fetch.retries == 3);
  CHECK(jobs.origin_key() != posts.origin_key());
}

TEST_CASE("bad remote source settings are errors at their line") {
  auto error_of = [](const std::string& tables) {
    auto parsed = parse_with_sources(tables);
    REQUIRE_FALSE(parsed.ok());
    return parsed.error();
  };
  CHECK(error_of("[sources.j]\nurl = \"https://x\"\nprofile = \"fortnightly\"\n").to_string() ==
        "content/site.toml:5: unknown cache profile 'fortnightly' (profiles: days, default, hours, max, minutes, "
        "seconds, weeks; add [cache.profiles.fortnightly] with stale, revalidate and expire)");
  CHECK(error_of("[sources.j]\nurl = \"https://x\"\nrevalidate = 600\nexpire = 60\n").message.find(
            "must not be shorter than revalidate") != std::string::npos);
  CHECK(error_of("[profiles.p]\nrevalidate = -1\n").message.find("whole number of seconds") != std::string::npos);
  CHECK(error_of("[profiles.p]\nttl = 1\n").message.find("unknown setting 'ttl'") != std::string::npos);
  CHECK(error_of("[sources.j]\nurl = \"ftp://x\"\n").message.find("must start with http") != std::string::npos);
  CHECK(error_of("[sources.j]\nurl = \"https://x\"\ntimeout = \"soon\"\n").line == 5);
  CHECK(error_of("[sources.j]\nurl = \"https://x\"\nretries = 99\n").message.find("from 0 to 10") != std::string::npos);
  CHECK(error_of("[sources.j]\nurl = \"https://x\"\nheaders = { X-Key = 7 }\n").message.find("must be a string") !=
        std::string::npos);
  CHECK(error_of("[sources.m]\nfile = \"data/m.json\"\nrevalidate = 60\n").message.find(
            "applies to remote sources only") != std::string::npos);
}

TEST_CASE("[build] prerender chooses between every page and high-priority pages ahead", "[site][prerender]") {
  const std::string tenants = "[tenants.acme]\nbase_url = \"https://acme.example\"\n";
  CHECK(parse_site_config(tenants, "content/site.toml").value().prerender == Prerender::kAll);
  CHECK(parse_site_config("[build]\nprerender = \"high\"\n" + tenants, "content/site.toml").value().prerender ==
        Prerender::kHigh);
  CHECK(parse_site_config("[build]\nprerender = \"all\"\n" + tenants, "content/site.toml").value().prerender ==
        Prerender::kAll);

  auto bad = parse_site_config(tenants + "\n[build]\nprerender = \"some\"\n", "content/site.toml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().line == 5);
  CHECK_THAT(bad.error().to_string(), Catch::StartsWith("content/site.toml:5: [build] prerender must be \"all\"") &&
                                          Catch::Contains("\"high\""));
  auto not_text = parse_site_config(tenants + "[build]\nprerender = true\n", "content/site.toml");
  REQUIRE_FALSE(not_text.ok());
  CHECK(not_text.error().line == 4);
  auto unknown = parse_site_config(tenants + "[build]\nprerendr = \"high\"\n", "content/site.toml");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().to_string() ==
        "content/site.toml:4: unknown setting 'prerendr' in [build] (did you mean 'prerender'?)");
}

TEST_CASE("keys isrgen does not read in site.toml are warnings at their line, near ones with the key meant") {
  auto parsed = parse_site_config(R"([site]
title = "Promo"
defualt_language = "en"
language_names = { en = "English" }
[sorces.models]
file = "data/models.json"
[tenants.acme]
base_url = "https://acme.example"
nmae = "Acme"
tagline = "Find your role"
)",
                                  "content/site.toml");
  REQUIRE(parsed.ok());
  std::vector<std::string> warnings;
  for (const KeyWarning& typo : parsed.value().key_warnings) warnings.push_back(typo.warning.to_string());
  CHECK(warnings == std::vector<std::string>{
                        "content/site.toml:5: unknown key 'sorces' in the top level (did you mean 'sources'?)",
                        "content/site.toml:3: unknown key 'defualt_language' in [site] (did you mean "
                        "'default_language'?): isrgen does not read it, nor does any template",
                        "content/site.toml:9: unknown key 'nmae' in [tenants.acme] (did you mean 'name'?): isrgen "
                        "does not read it, nor does any template"});
  // The top level is isrgen's alone; [site] and tenants are the templates' too.
  CHECK_FALSE(parsed.value().key_warnings[0].templates_may_read);
  CHECK(parsed.value().key_warnings[1].templates_may_read);
  CHECK(parsed.value().key_warnings[1].key == "defualt_language");
  // Far from every key: a table of its own, with the known ones listed.
  auto far = parse_site_config("[tenants.a]\nbase_url = \"https://a\"\n[extras]\nx = 1\n", "content/site.toml");
  REQUIRE(far.ok());
  REQUIRE(far.value().key_warnings.size() == 1);
  CHECK(far.value().key_warnings[0].warning.message ==
        "unknown key 'extras' in the top level (known: site, build, tenants, cache, profiles, sources, limits, deploy, "
        "serve, images)");
  // A valid file has none.
  CHECK(parse_site_config(kValid, "content/site.toml").value().key_warnings.empty());
}

TEST_CASE("[images] sets the variants' widths, formats and quality, checked at their line", "[site][images]") {
  const std::string tenant = "[tenants.acme]\nbase_url = \"https://acme.example\"\n";
  auto defaults = parse_site_config(tenant, "content/site.toml");
  REQUIRE(defaults.ok());
  CHECK(defaults.value().images.widths == std::vector<int>{320, 640, 960, 1280});
  CHECK(defaults.value().images.formats == std::vector<std::string>{"webp"});
  CHECK(defaults.value().images.strip_metadata);
  CHECK_FALSE(defaults.value().images.placeholder);
  auto set = parse_site_config(tenant + "[images]\nwidths = [800, 400, 400]\nformats = [\"avif\", \"webp\"]\n"
                                        "quality = 70\nplaceholder = true\nstrip_metadata = false\n"
                                        "[limits]\nimage_pixels = 5000\nimage_bytes = 1000\n",
                               "content/site.toml");
  REQUIRE(set.ok());
  CHECK(set.value().images.widths == std::vector<int>{400, 800});
  CHECK(set.value().images.formats == std::vector<std::string>{"avif", "webp"});
  CHECK(set.value().images.quality == 70);
  CHECK(set.value().images.placeholder);
  CHECK_FALSE(set.value().images.strip_metadata);
  CHECK(set.value().limits.image_pixels == 5000);
  CHECK(set.value().limits.image_bytes == 1000);
  auto error_of = [&](const std::string& images) {
    auto parsed = parse_site_config(tenant + "[images]\n" + images + "\n", "content/site.toml");
    return parsed.ok() ? std::string() : parsed.error().to_string();
  };
  CHECK(error_of("widths = []") ==
        "content/site.toml:4: [images] widths must be a non-empty array of pixel widths like [320, 640, 960, 1280]");
  CHECK(error_of("formats = [\"gif\"]").starts_with("content/site.toml:4: [images] formats may hold \"webp\" and \"avif\""));
  CHECK(error_of("quality = 0") == "content/site.toml:4: [images] quality must be a whole number from 1 to 100");
  CHECK(error_of("remote_hosts = [\"https://cms.example\"]").starts_with("content/site.toml:4: [images] remote_hosts must hold host names"));
  auto remote = parse_site_config(tenant + "[images]\nremote_hosts = [\"CMS.example\", \"images.cdn.example\"]\n",
                                  "content/site.toml");
  REQUIRE(remote.ok());
  CHECK(remote.value().images.remote_hosts == std::vector<std::string>{"cms.example", "images.cdn.example"});
  CHECK(error_of("qualty = 50") == "content/site.toml:4: unknown setting 'qualty' in [images] (did you mean 'quality'?)");
}
