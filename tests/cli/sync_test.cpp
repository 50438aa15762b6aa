// `isrgen sync` against s3rver, checked with an independent client (Debian's
// awscli), and against a local folder with a purge webhook.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "cdn_mocks.h"
#include "fixture_site.h"
#include "http_test_server.h"
#include "remote_site.h"
#include "publish/digest.h"
#include "s3rver.h"
#include "serve/webhook_auth.h"
#include "util/clock.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

constexpr const char* kDeployConfig = R"(
[deploy]
retry_delay_ms = 1
[[deploy.rules]]
match = "**/*.html"
cache_control = "public, max-age=300, stale-while-revalidate=3600"
[[deploy.rules]]
match = "**/*.css"
cache_control = "public, max-age=31536000, immutable"
)";

const std::vector<std::string> kFixtureObjects = {
    "acme/all/index.html", "acme/css/site.css", "acme/de/index.html", "acme/index.html", "acme/jobs/berlin/index.html",
    "acme/robots.txt",     "acme/sitemap.xml",  "nova/index.html",    "nova/robots.txt", "nova/sitemap.xml"};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A fixture site with deploy rules, built, and an S3 server to sync it to.
struct BucketSite {
  FixtureSite site;
  S3rver s3;

  explicit BucketSite(const std::string& extra_config = "") {
    site.write("content/site.toml", read_text(site / "content/site.toml") + kDeployConfig + extra_config);
    build();
  }
  void build() const {
    auto built = site.build();
    INFO(built.result.err);
    REQUIRE(built.result.exit_code == 0);
  }
  struct Sync {
    CommandResult result;
    json report;
  };
  Sync sync(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"sync", "--site", site.root().string(), "--target", "s3://site/www", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    Sync sync{run_isrgen(args, s3.environment()), {}};
    INFO(sync.result.err);
    sync.report = json::parse(sync.result.out.empty() ? "null" : sync.result.out);
    return sync;
  }
  // key (without the www/ prefix) -> the listing's entry
  std::map<std::string, json> listed() const {
    std::string out = s3.aws("s3api list-objects-v2 --bucket site --prefix www/");
    std::map<std::string, json> objects;
    if (out.find_first_not_of(" \n") == std::string::npos) return objects;
    for (const json& object : json::parse(out).value("Contents", json::array()))
      objects[object["Key"].get<std::string>().substr(4)] = object;
    return objects;
  }
  json head(const std::string& key) const { return json::parse(s3.aws("s3api head-object --bucket site --key www/" + key)); }
};

std::vector<std::string> uploaded_keys(const json& report) {
  std::vector<std::string> keys;
  for (const json& upload : report["uploaded"]) keys.push_back(upload["key"]);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

TEST_CASE("sync puts the output into an S3 bucket as an independent client sees it, and a second sync sends nothing") {
  BucketSite bucket;
  auto first = bucket.sync();
  REQUIRE(first.result.exit_code == 0);
  CHECK(first.report["command"] == "sync");
  CHECK(uploaded_keys(first.report) == kFixtureObjects);
  CHECK(first.report["stats"]["uploaded"] == 10);
  CHECK(first.report["stats"]["failed"] == 0);

  auto listed = bucket.listed();
  std::vector<std::string> keys;
  int64_t total_bytes = 0;
  for (const auto& [key, object] : listed) {
    keys.push_back(key);
    std::string local = bucket.site.read_out(key);
    CHECK(object["Size"] == local.size());
    CHECK(object["ETag"] == "\"" + isrgen::publish::md5_hex(local) + "\"");
    total_bytes += static_cast<int64_t>(local.size());
  }
  CHECK(keys == kFixtureObjects);  // no index.metadata.json
  CHECK(first.report["stats"]["bytes"] == total_bytes);

  json page = bucket.head("acme/index.html");
  CHECK(page["ContentType"] == "text/html; charset=utf-8");
  CHECK(page["CacheControl"] == "public, max-age=300, stale-while-revalidate=3600");
  std::string tags = page["Metadata"]["cache-tag"];
  CHECK(tags.starts_with("page:acme/index,"));
  CHECK(contains(tags, ",models:m-1"));
  json css = bucket.head("acme/css/site.css");
  CHECK(css["ContentType"] == "text/css; charset=utf-8");
  CHECK(css["CacheControl"] == "public, max-age=31536000, immutable");

  auto second = bucket.sync();
  REQUIRE(second.result.exit_code == 0);
  CHECK(second.report["uploaded"].empty());
  CHECK(second.report["stats"]["unchanged"] == 10);
}

TEST_CASE("sync streams a large file from disk and it arrives whole") {
  BucketSite bucket;
  std::string large;
  for (int i = 0; large.size() < (6 << 20); ++i) large += "line " + std::to_string(i) + " of a large asset\n";
  bucket.site.write("static/acme/video/reel.bin", large);
  bucket.build();
  auto synced = bucket.sync();
  INFO(synced.result.err);
  REQUIRE(synced.result.exit_code == 0);
  json head = bucket.head("acme/video/reel.bin");
  CHECK(head["ContentLength"] == large.size());
  CHECK(head["ETag"] == "\"" + isrgen::publish::md5_hex(large) + "\"");
  CHECK(head["ContentType"] == "application/octet-stream");
}

TEST_CASE("sync after an edit uploads one object, after a removed page deletes one") {
  BucketSite bucket;
  REQUIRE(bucket.sync().result.exit_code == 0);
  std::string page = read_text(bucket.site / "content/pages/acme/all.md");
  bucket.site.write("content/pages/acme/all.md", page + "\nOne more line.\n");
  bucket.build();
  auto edited = bucket.sync();
  REQUIRE(edited.result.exit_code == 0);
  // The page, and the sitemap when the page's lastmod moved to another second.
  std::vector<std::string> edited_keys = uploaded_keys(edited.report);
  std::erase(edited_keys, "acme/sitemap.xml");
  CHECK(edited_keys == std::vector<std::string>{"acme/all/index.html"});
  CHECK(edited.report["uploaded"][0]["reason"] == "changed");
  CHECK(edited.report["deleted"].empty());

  std::filesystem::remove(bucket.site / "content/pages/acme/jobs/berlin.md");
  bucket.build();
  auto removed = bucket.sync();
  REQUIRE(removed.result.exit_code == 0);
  CHECK(uploaded_keys(removed.report) == std::vector<std::string>{"acme/sitemap.xml"});
  CHECK(removed.report["deleted"] == json({"acme/jobs/berlin/index.html"}));
  auto listed = bucket.listed();
  CHECK(listed.size() == 9);
  CHECK(listed.count("acme/jobs/berlin/index.html") == 0);
  CHECK(contains(bucket.s3.aws("s3api get-object --bucket site --key www/acme/all/index.html " +
                               (bucket.site.root() / "fetched.html").string()),
                 "ContentLength"));
  CHECK(read_text(bucket.site.root() / "fetched.html") == bucket.site.read_out("acme/all/index.html"));
}

TEST_CASE("sync holds back more deletes than --max-deletes, exits 1, and still uploads") {
  BucketSite bucket;
  REQUIRE(bucket.sync().result.exit_code == 0);
  std::filesystem::remove(bucket.site / "content/pages/acme/jobs/berlin.md");
  std::filesystem::remove(bucket.site / "content/pages/nova/index.md");
  bucket.site.write("content/pages/acme/new.md", "---\ntitle: New\n---\nNew page.\n");
  bucket.build();
  auto guarded = bucket.sync({"--max-deletes", "1"});
  CHECK(guarded.result.exit_code == 1);
  CHECK(guarded.report["deleted"].empty());
  CHECK(guarded.report["deletes_held_back"]["count"] == 2);
  CHECK(contains(guarded.result.err, "2 deletes exceed --max-deletes 1; nothing was deleted"));
  CHECK(uploaded_keys(guarded.report) ==
        std::vector<std::string>{"acme/new/index.html", "acme/sitemap.xml", "nova/sitemap.xml"});
  auto listed = bucket.listed();
  CHECK(listed.count("acme/jobs/berlin/index.html") == 1);
  CHECK(listed.count("nova/index.html") == 1);
  CHECK(listed.count("acme/new/index.html") == 1);

  auto allowed = bucket.sync({"--max-deletes", "2"});
  CHECK(allowed.result.exit_code == 0);
  CHECK(allowed.report["deleted"].size() == 2);
  CHECK(bucket.listed().count("nova/index.html") == 0);
}

TEST_CASE("sync with the server killed mid-way exits nonzero, and the rerun finishes the rest") {
  BucketSite bucket;
  constexpr int kExtraFiles = 40;
  for (int i = 0; i < kExtraFiles; ++i)
    bucket.site.write("static/acme/files/f" + std::to_string(i) + ".txt", "file " + std::to_string(i) + "\n");
  bucket.build();
  const size_t total = kFixtureObjects.size() + kExtraFiles;

  BucketSite::Sync interrupted;
  std::thread syncing([&] { interrupted = bucket.sync({"--jobs", "1"}); });
  bucket.s3.wait_for_stored_objects(3);
  bucket.s3.kill();
  syncing.join();
  CHECK(interrupted.result.exit_code == 1);
  CHECK(interrupted.report["stats"]["failed"] > 0);
  size_t done_before = interrupted.report["uploaded"].size();
  CHECK(done_before < total);

  bucket.s3.restart();
  auto rerun = bucket.sync();
  INFO(rerun.result.err);
  REQUIRE(rerun.result.exit_code == 0);
  CHECK(rerun.report["uploaded"].size() == total - done_before);
  CHECK(bucket.listed().size() == total);
}

TEST_CASE("sync --verify-remote on a machine without deploy state uploads nothing already there") {
  BucketSite bucket;
  REQUIRE(bucket.sync().result.exit_code == 0);
  std::filesystem::remove_all(bucket.site / ".isrgen/deploy.db");
  std::filesystem::remove_all(bucket.site / ".isrgen/deploy.db-wal");
  bucket.s3.aws("s3api delete-object --bucket site --key www/nova/index.html");
  auto verified = bucket.sync({"--verify-remote"});
  REQUIRE(verified.result.exit_code == 0);
  CHECK(uploaded_keys(verified.report) == std::vector<std::string>{"nova/index.html"});
  CHECK(verified.report["stats"]["adopted"] == 9);
  CHECK(bucket.sync().report["uploaded"].empty());
}

TEST_CASE("sync --dry-run prints the plan and writes nothing") {
  BucketSite bucket;
  auto dry = bucket.sync({"--dry-run"});
  REQUIRE(dry.result.exit_code == 0);
  CHECK(dry.report["dry_run"] == true);
  CHECK(uploaded_keys(dry.report) == kFixtureObjects);
  CHECK(bucket.listed().empty());
  auto human = run_isrgen({"sync", "--site", bucket.site.root().string(), "--target", "s3://site/www", "--dry-run"},
                          bucket.s3.environment());
  CHECK(contains(human.err, "would upload acme/index.html (new)"));
  CHECK(contains(human.err, "sync (dry run): 10 uploaded"));
  CHECK(bucket.listed().empty());
}

TEST_CASE("sync to a folder purges the CDN through a signed webhook") {
  HttpTestServer hook;
  hook.on("/purge", [](const TestRequest&) { return TestResponse{}; });
  FixtureSite site;
  site.write("content/site.toml", read_text(site / "content/site.toml") +
                                      "[deploy]\ntarget = \"public\"\n[deploy.purge]\nprovider = \"webhook\"\nurl = \"" +
                                      hook.url("/purge") + "\"\nsecret = \"${HOOK_SECRET}\"\n");
  REQUIRE(site.build().result.exit_code == 0);
  fs::path public_dir = site.root() / "public";
  auto first = run_isrgen({"sync", "--site", site.root().string(), "--target", public_dir.string(), "--json"},
                          {"HOOK_SECRET=hush", "ISRGEN_NOW=1790000000"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(read_text(public_dir / "acme/index.html") == site.read_out("acme/index.html"));
  CHECK_FALSE(fs::exists(public_dir / "acme/index.metadata.json"));
  CHECK_FALSE(fs::exists(public_dir / ".isrgen-tmp"));
  auto requests = hook.requests();
  REQUIRE(requests.size() == 1);
  json body = json::parse(requests[0].body);
  CHECK(std::count(body["paths"].begin(), body["paths"].end(), "/acme/") == 1);
  CHECK(std::count(body["tags"].begin(), body["tags"].end(), "page:acme/index") == 1);
  // Checked as isrgen serve checks a webhook: timestamped, within the tolerance of the receiver's clock.
  CHECK(requests[0].header("x-isrgen-signature").starts_with("t=1790000000,v1="));
  isrgen::ManualClock receiver(1'790'000'010'000);
  CHECK(isrgen::serve::authenticate_webhook(requests[0].body, requests[0].headers, "hush", receiver).ok());
  CHECK(json::parse(first.out)["stats"]["purged"] > 0);

  auto again = run_isrgen({"sync", "--site", site.root().string(), "--target", "file://" + public_dir.string()},
                          {"HOOK_SECRET=hush"});
  CHECK(again.exit_code == 0);
  CHECK(hook.requests().size() == 1);  // nothing changed, nothing purged
}

TEST_CASE("sync keeps a failed purge pending and the next sync, with nothing new to upload, sends it") {
  std::atomic<bool> hook_up{false};
  HttpTestServer hook;
  hook.on("/purge", [&](const TestRequest&) {
    TestResponse response;
    if (!hook_up) response.status = 500;
    return response;
  });
  FixtureSite site;
  site.write("content/site.toml", read_text(site / "content/site.toml") +
                                      "[deploy]\ntarget = \"" + (site.root() / "public").string() +
                                      "\"\nretries = 0\n[deploy.purge]\nprovider = \"webhook\"\nurl = \"" +
                                      hook.url("/purge") + "\"\nsecret = \"hush\"\n");
  REQUIRE(site.build().result.exit_code == 0);
  auto failed = run_isrgen({"sync", "--site", site.root().string(), "--json"});
  CHECK(failed.exit_code == 1);
  CHECK(contains(failed.err, "purge: HTTP 500"));
  json failed_report = json::parse(failed.out);
  CHECK(failed_report["purge"]["sent"] == false);
  CHECK(failed_report["stats"]["uploaded"] == 10);
  REQUIRE(hook.requests().size() == 1);
  json first_body = json::parse(hook.requests()[0].body);

  hook_up = true;
  auto rerun = run_isrgen({"sync", "--site", site.root().string(), "--json"});
  INFO(rerun.err);
  CHECK(rerun.exit_code == 0);
  json rerun_report = json::parse(rerun.out);
  CHECK(rerun_report["stats"]["uploaded"] == 0);
  CHECK(rerun_report["purge"]["sent"] == true);
  auto requests = hook.requests();
  REQUIRE(requests.size() == 2);
  json body = json::parse(requests[1].body);
  CHECK(body == first_body);  // every path and tag of the first sync's uploads
  CHECK(std::count(body["paths"].begin(), body["paths"].end(), "/acme/") == 1);
  CHECK(std::count(body["tags"].begin(), body["tags"].end(), "page:acme/index") == 1);

  auto after = run_isrgen({"sync", "--site", site.root().string()});
  CHECK(after.exit_code == 0);
  CHECK(hook.requests().size() == 2);  // purged once: nothing left pending
}

namespace {

// Links acme's stylesheet from the layout, so the build writes its fingerprinted copy.
void link_stylesheet(const FixtureSite& site) {
  site.replace("content/site.toml", "[tenants.acme]\n", "[tenants.acme]\nstylesheet = \"/css/site.css\"\n");
  site.replace("templates/layouts/base.mustache", "</title>",
               "</title>{{#tenant.stylesheet}}<link rel=\"stylesheet\" href=\"{{tenant.stylesheet}}\">{{/tenant.stylesheet}}");
}

// The fingerprinted copies of acme's stylesheet among `keys`.
std::vector<std::string> stylesheet_copies(const std::vector<std::string>& keys) {
  std::vector<std::string> copies;
  for (const std::string& key : keys)
    if (key.starts_with("acme/css/site.") && key != "acme/css/site.css") copies.push_back(key);
  return copies;
}

// The one fingerprinted copy of acme's stylesheet in the output.
std::string stylesheet_copy(const FixtureSite& site) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(site.out() / "acme/css"))
    names.push_back("acme/css/" + entry.path().filename().string());
  std::vector<std::string> copies = stylesheet_copies(names);
  REQUIRE(copies.size() == 1);
  return copies[0];
}

TEST_CASE("sync keeps a stylesheet's old fingerprint in the bucket one more sync, then deletes it") {
  BucketSite bucket;
  link_stylesheet(bucket.site);
  bucket.build();
  REQUIRE(bucket.sync().result.exit_code == 0);
  const std::string old_copy = stylesheet_copy(bucket.site);
  CHECK(bucket.head(old_copy)["CacheControl"] == "public, max-age=31536000, immutable");

  bucket.site.write("static/acme/css/site.css", "body { margin: 1em }\n");
  bucket.build();
  const std::string new_copy = stylesheet_copy(bucket.site);
  REQUIRE(new_copy != old_copy);
  auto edited = bucket.sync();
  REQUIRE(edited.result.exit_code == 0);
  CHECK(edited.report["retained"] == json({old_copy}));
  CHECK(edited.report["stats"]["retained"] == 1);
  CHECK(edited.report["deleted"].empty());
  std::vector<std::string> listed_keys;
  for (const auto& [key, object] : bucket.listed()) listed_keys.push_back(key);
  CHECK(stylesheet_copies(listed_keys) == std::vector<std::string>{std::min(old_copy, new_copy), std::max(old_copy, new_copy)});
  CHECK(bucket.listed().count("acme/index.html") == 1);

  auto dry = bucket.sync({"--dry-run"});
  CHECK(dry.report["deleted"] == json({old_copy}));
  CHECK(bucket.listed().count(old_copy) == 1);

  auto next = bucket.sync();
  REQUIRE(next.result.exit_code == 0);
  CHECK(next.report["deleted"] == json({old_copy}));
  CHECK(next.report["retained"].empty());
  listed_keys.clear();
  for (const auto& [key, object] : bucket.listed()) listed_keys.push_back(key);
  CHECK(stylesheet_copies(listed_keys) == std::vector<std::string>{new_copy});
}

TEST_CASE("sync to a folder keeps a stylesheet's old fingerprint one more sync; a removed page goes at once") {
  FixtureSite site;
  ScratchDir target;
  link_stylesheet(site);
  REQUIRE(site.build().result.exit_code == 0);
  auto sync = [&] {
    auto result = run_isrgen({"sync", "--site", site.root().string(), "--target", target.path().string(), "--json"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return json::parse(result.out);
  };
  sync();
  const std::string old_copy = stylesheet_copy(site);

  site.write("static/acme/css/site.css", "body { margin: 2em }\n");
  std::filesystem::remove(site / "content/pages/acme/jobs/berlin.md");
  REQUIRE(site.build().result.exit_code == 0);
  const std::string new_copy = stylesheet_copy(site);
  json edited = sync();
  CHECK(edited["retained"] == json({old_copy}));
  CHECK(edited["deleted"] == json({"acme/jobs/berlin/index.html"}));
  CHECK(read_text(target / old_copy) == "body { margin: 0 }\n");
  CHECK(read_text(target / new_copy) == "body { margin: 2em }\n");
  CHECK_FALSE(fs::exists(target / "acme/jobs/berlin/index.html"));

  json next = sync();
  CHECK(next["deleted"] == json({old_copy}));
  CHECK_FALSE(fs::exists(target / old_copy));
  CHECK(fs::exists(target / new_copy));
}

// A built fixture site that syncs to a folder and purges through `purge_settings`.
struct PurgedSite {
  FixtureSite site;
  explicit PurgedSite(const std::string& purge_settings) {
    site.write("content/site.toml", read_text(site / "content/site.toml") + "[deploy]\ntarget = \"public\"\n" +
                                        "retries = 0\n[deploy.purge]\n" + purge_settings);
    REQUIRE(site.build().result.exit_code == 0);
  }
  std::pair<CommandResult, json> sync(const std::vector<std::string>& environment = {}) const {
    auto result = run_isrgen({"sync", "--site", site.root().string(), "--json"}, environment);
    INFO(result.err);
    return {result, json::parse(result.out.empty() ? "null" : result.out)};
  }
};

// What a failed purge left pending is what the next sync sends, to the same provider.
void check_pending_purge_is_sent_again(const PurgedSite& site, isrgen::testing::CdnMock& cdn,
                                       const std::vector<std::string>& environment, const std::string& failure,
                                       bool by_tag) {
  auto [failed, failed_report] = site.sync(environment);
  CHECK(failed.exit_code == 1);
  CHECK(contains(failed.err, "purge: HTTP "));
  CHECK(contains(failed.err, failure));
  CHECK(contains(failed.err, "kept: the next sync sends it again"));
  CHECK(failed_report["purge"]["sent"] == false);
  CHECK(cdn.purged().empty());

  auto [rerun, rerun_report] = site.sync(environment);
  CHECK(rerun.exit_code == 0);
  CHECK(rerun_report["stats"]["uploaded"] == 0);
  CHECK(rerun_report["purge"]["sent"] == true);
  CHECK(cdn.problems().empty());
  std::vector<std::string> purged = cdn.purged();
  std::sort(purged.begin(), purged.end());
  CHECK(json(purged) == failed_report["purge"][by_tag ? "tags" : "paths"]);
  CHECK(std::count(purged.begin(), purged.end(), "page:acme/index") + std::count(purged.begin(), purged.end(), "/acme/") == 1);

  size_t requests = cdn.request_count();
  CHECK(site.sync(environment).first.exit_code == 0);
  CHECK(cdn.request_count() == requests);  // nothing left pending
}

}  // namespace

TEST_CASE("sync purges CloudFront with a signed CreateInvalidation, and one refused as too many in progress is sent by the next sync") {
  isrgen::testing::CloudFrontMock cloudfront("E2EXAMPLE", "AKIDEXAMPLE", "wJalrXUtnFEMI");
  PurgedSite site("provider = \"cloudfront\"\ndistribution_id = \"E2EXAMPLE\"\nendpoint = \"" + cloudfront.endpoint() +
                  "\"\n");
  cloudfront.refuse_next(1);
  check_pending_purge_is_sent_again(site, cloudfront,
                                    {"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI",
                                     "AWS_REGION=eu-west-1"},
                                    "TooManyInvalidationsInProgress", false);
  auto references = cloudfront.caller_references();
  REQUIRE(references.size() == 1);
  CHECK(references[0].starts_with("isrgen-"));
}

TEST_CASE("sync soft-purges Fastly surrogate keys, and one rate limited is sent by the next sync") {
  isrgen::testing::FastlyMock fastly("SU1Z0isxPaozGVKXdv0eY", "fastly-token");
  PurgedSite site("provider = \"fastly\"\nservice_id = \"SU1Z0isxPaozGVKXdv0eY\"\ntoken = \"${FASTLY_TOKEN}\"\n"
                  "endpoint = \"" + fastly.endpoint() + "\"\n");
  fastly.throttle_next(1);
  check_pending_purge_is_sent_again(site, fastly, {"FASTLY_TOKEN=fastly-token"}, "429", true);
  CHECK(fastly.soft_requests() == 1);
}

TEST_CASE("sync purges Cloudflare by tag, and one rate limited is sent by the next sync") {
  isrgen::testing::CloudflareMock cloudflare("023e105f4ecef8ad9ca31a8372d0c353", "cf-token", 30);
  PurgedSite site("provider = \"cloudflare\"\nzone_id = \"023e105f4ecef8ad9ca31a8372d0c353\"\ntoken = \"cf-token\"\n"
                  "batch_size = 30\nendpoint = \"" + cloudflare.endpoint() + "\"\n");
  cloudflare.throttle_next(1);
  check_pending_purge_is_sent_again(site, cloudflare, {}, "429", true);
}

TEST_CASE("sync with [deploy.warm] fetches each uploaded page's public URL after the purge, and reports each") {
  isrgen::testing::FastlyMock fastly("svc", "token");
  HttpTestServer origin;
  std::atomic<int> before_purge{0};
  auto page = [&](const TestRequest&) {
    before_purge += fastly.purged().empty();
    return TestResponse{200, {}, "<h1>warm</h1>"};
  };
  for (const char* path : {"/", "/all/", "/de/", "/jobs/berlin/"}) origin.on(path, page);
  RefusingPort nova;
  PurgedSite site("provider = \"fastly\"\nservice_id = \"svc\"\ntoken = \"token\"\nendpoint = \"" + fastly.endpoint() +
                  "\"\n[deploy.warm]\nenabled = true\nconcurrency = 2\n");
  std::string settings = read_text(site.site / "content/site.toml");
  for (auto [from, to] : {std::pair<std::string, std::string>{"https://acme.example", origin.url("")},
                          {"https://nova.example/", nova.url("")}})
    settings.replace(settings.find(from), from.size(), to);
  site.site.write("content/site.toml", settings);
  REQUIRE(site.site.build().result.exit_code == 0);

  auto [result, report] = site.sync();
  CHECK(result.exit_code == 0);  // a page that could not be warmed fails nothing
  REQUIRE(report["warmed"].size() == 5);
  std::map<std::string, json> by_url;
  for (const json& entry : report["warmed"]) by_url[entry["url"]] = entry;
  for (const char* path : {"/", "/all/", "/de/", "/jobs/berlin/"}) {
    const json& entry = by_url[origin.url(path)];
    CHECK(entry["outcome"] == "warmed");
    CHECK(entry["status"] == 200);
    CHECK(entry["ms"].is_number());
  }
  CHECK(by_url[nova.url("/")]["outcome"] == "failed");
  CHECK(by_url[nova.url("/")]["status"] == 0);
  CHECK(origin.request_count() == 4);  // each page once
  CHECK(before_purge == 0);

  auto [again, again_report] = site.sync();
  CHECK(again.exit_code == 0);
  CHECK_FALSE(again_report.contains("warmed"));  // nothing uploaded, nothing warmed
  CHECK(origin.request_count() == 4);

  site.site.replace("content/pages/acme/jobs/berlin.md", "Jobs in Berlin.", "Jobs in Berlin, now hiring.");
  REQUIRE(site.site.build().result.exit_code == 0);
  auto edited = run_isrgen({"sync", "--site", site.site.root().string()});
  CHECK(edited.exit_code == 0);
  CHECK(contains(edited.err, "warmed 1 of 1 pages (0 failed, 0 skipped)"));
  REQUIRE(origin.request_count() == 5);
  CHECK(origin.requests().back().target == "/jobs/berlin/");
}

TEST_CASE("sync resolves a relative [deploy] target against the site, a relative --target against the working directory") {
  FixtureSite site;
  site.write("content/site.toml", read_text(site / "content/site.toml") + "[deploy]\ntarget = \"public\"\n");
  REQUIRE(site.build().result.exit_code == 0);
  REQUIRE(fs::current_path() != site.root());
  fs::path cwd_public = fs::current_path() / "public";
  bool cwd_public_before = fs::exists(cwd_public);
  auto synced = run_isrgen({"sync", "--site", site.root().string(), "--json"});
  INFO(synced.err);
  REQUIRE(synced.exit_code == 0);
  CHECK(read_text(site.root() / "public/acme/index.html") == site.read_out("acme/index.html"));
  CHECK(fs::exists(cwd_public) == cwd_public_before);
  CHECK(json::parse(synced.out)["target"] == (site.root() / "public").string());

  // --target on the command line: relative to the working directory, as any path argument.
  fs::path relative = fs::path(site.root().string() + "/cli-target").lexically_relative(fs::current_path());
  REQUIRE(relative.is_relative());
  auto flagged = run_isrgen({"sync", "--site", site.root().string(), "--target", relative.string()});
  INFO(flagged.err);
  REQUIRE(flagged.exit_code == 0);
  CHECK(read_text(site.root() / "cli-target/acme/index.html") == site.read_out("acme/index.html"));
}

TEST_CASE("sync usage and configuration errors exit 2 with the way out") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  auto no_target = run_isrgen({"sync", "--site", site.root().string()});
  CHECK(no_target.exit_code == 2);
  CHECK(contains(no_target.err, "no target: give --target"));
  auto no_credentials = run_isrgen({"sync", "--site", site.root().string(), "--target", "s3://b/p"},
                                   {"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY="});
  CHECK(no_credentials.exit_code == 2);
  CHECK(contains(no_credentials.err, "AWS_ACCESS_KEY_ID"));
  site.write("content/site.toml", read_text(site / "content/site.toml") + "[deploy]\nmax_delete = 1\n");
  auto typo = run_isrgen({"sync", "--site", site.root().string(), "--target", "x"});
  CHECK(typo.exit_code == 2);
  CHECK(contains(typo.err, "content/site.toml:"));
  CHECK(contains(typo.err, "unknown setting 'deploy.max_delete'"));
}

TEST_CASE("sync with CloudFront purges but no AWS credentials: a dry run plans, a real sync names the variables") {
  FixtureSite site;
  site.write("content/site.toml", read_text(site / "content/site.toml") +
                                      "[deploy.purge]\nprovider = \"cloudfront\"\ndistribution_id = \"E2X\"\n");
  REQUIRE(site.build().result.exit_code == 0);
  std::vector<std::string> no_credentials = {"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY="};
  std::string target = (site.root() / "public").string();
  auto dry = run_isrgen({"sync", "--site", site.root().string(), "--target", target, "--dry-run"}, no_credentials);
  INFO(dry.err);
  CHECK(dry.exit_code == 0);
  CHECK(contains(dry.err, "would purge"));
  CHECK_FALSE(fs::exists(target));

  auto real = run_isrgen({"sync", "--site", site.root().string(), "--target", target}, no_credentials);
  CHECK(real.exit_code == 2);
  CHECK(contains(real.err, "purge provider 'cloudfront' needs AWS credentials"));
  CHECK(contains(real.err, "AWS_ACCESS_KEY_ID"));
  CHECK_FALSE(contains(real.err, "site.toml"));  // nothing is wrong with the file
}

TEST_CASE("build --sync and revalidate --sync put a good build into a folder; the report has both parts") {
  FixtureSite site;
  ScratchDir target;
  const std::string root = site.root().string();
  auto built = run_isrgen({"build", "--site", root, "--sync", "--target", target.path().string(), "--json"});
  INFO(built.err);
  REQUIRE(built.exit_code == 0);
  json report = json::parse(built.out);
  CHECK(report["command"] == "build");
  CHECK(report["stats"]["failed"] == 0);
  CHECK(report["sync"]["command"] == "sync");
  CHECK(uploaded_keys(report["sync"]) == kFixtureObjects);
  CHECK(report["sync"]["stats"]["failed"] == 0);
  for (const std::string& key : kFixtureObjects) CHECK(read_text(target / key) == site.read_out(key));
  CHECK_FALSE(fs::exists(target / "acme/index.metadata.json"));
  CHECK(contains(built.err, "sync: 6 uploaded, 0 deleted"));

  // A failed page: built (the others were), not synced, and no "sync" in the report.
  const std::string berlin = "content/pages/acme/jobs/berlin.md";
  site.write(berlin, "---\ntitle: [unclosed\n---\nBroken.\n");
  auto broken = run_isrgen({"build", "--site", root, "--sync", "--target", target.path().string(), "--json"});
  CHECK(broken.exit_code == 1);
  json broken_report = json::parse(broken.out);
  CHECK(broken_report["stats"]["failed"] == 1);
  CHECK_FALSE(broken_report.contains("sync"));
  CHECK(read_text(target / "acme/jobs/berlin/index.html") == site.read_out("acme/jobs/berlin/index.html"));

  site.write(berlin, "---\ntitle: Berlin jobs\n---\nRevalidated and synced.\n");
  auto revalidated = run_isrgen(
      {"revalidate", "--site", root, "--path", "/acme/jobs/berlin/", "--sync", "--target", target.path().string(), "--json"});
  INFO(revalidated.err);
  REQUIRE(revalidated.exit_code == 0);
  json revalidate_report = json::parse(revalidated.out);
  CHECK(revalidate_report["command"] == "revalidate");
  CHECK(uploaded_keys(revalidate_report["sync"]) == std::vector<std::string>{"acme/jobs/berlin/index.html"});
  CHECK(contains(read_text(target / "acme/jobs/berlin/index.html"), "Revalidated and synced."));

  auto lone_target = run_isrgen({"build", "--site", root, "--target", target.path().string()});
  CHECK(lone_target.exit_code == 2);
  CHECK(contains(lone_target.err, "build: --target needs --sync"));
}

TEST_CASE("build --sync reads [deploy] with the build: an edit applies to the next run, a broken one fails only the sync") {
  FixtureSite site;
  const std::string root = site.root().string();
  const std::string settings = read_text(site / "content/site.toml");
  site.write("content/site.toml", settings + "[deploy]\ntarget = \"public\"\n");
  auto first = run_isrgen({"build", "--site", root, "--sync", "--json"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(json::parse(first.out)["sync"]["target"] == (site.root() / "public").string());
  CHECK(read_text(site.root() / "public/acme/index.html") == site.read_out("acme/index.html"));

  site.write("content/site.toml", settings + "[deploy]\ntarget = \"elsewhere\"\n");
  auto moved = run_isrgen({"build", "--site", root, "--sync", "--json"});
  INFO(moved.err);
  REQUIRE(moved.exit_code == 0);
  CHECK(read_text(site.root() / "elsewhere/acme/index.html") == site.read_out("acme/index.html"));

  site.write("content/site.toml", settings + "[deploy]\ntarget = \"public\"\nmax_delete = 1\n");
  site.replace("content/pages/nova/index.md", "title: Nova", "title: Nova Autumn");
  auto typo = run_isrgen({"build", "--site", root, "--sync", "--json"});
  CHECK(typo.exit_code == 2);
  CHECK(contains(typo.err, "sync: content/site.toml:"));
  CHECK(contains(typo.err, "unknown setting 'deploy.max_delete'"));
  json report = json::parse(typo.out);
  CHECK(report["stats"]["failed"] == 0);
  CHECK(contains(report["sync"]["error"].get<std::string>(), "unknown setting 'deploy.max_delete'"));
  CHECK(contains(site.read_out("nova/index.html"), "Nova Autumn"));  // built all the same
  CHECK_FALSE(contains(read_text(site.root() / "public/nova/index.html"), "Nova Autumn"));  // not synced

  // Without --sync, a build does not read [deploy].
  auto unsynced = run_isrgen({"build", "--site", root});
  CHECK(unsynced.exit_code == 0);
}

TEST_CASE("sync stores each page's cache profile as Cache-Control and CDN-Cache-Control metadata, and inspect shows it",
          "[cache]") {
  JobsApi api;
  RemoteSite site(api.url(), "cache = \"minutes\"\n");
  site.write("content/site.toml", read_text(site / "content/site.toml") + "\n[deploy]\nretry_delay_ms = 1\n");
  REQUIRE(site.run({"build"}).result.exit_code == 0);
  S3rver s3;
  auto synced = run_isrgen({"sync", "--site", site.root().string(), "--target", "s3://site/www"}, s3.environment());
  INFO(synced.err);
  REQUIRE(synced.exit_code == 0);
  auto head = [&](const std::string& key) {
    return json::parse(s3.aws("s3api head-object --bucket site --key www/" + key));
  };

  // The page showing the API's jobs takes the source's profile, the tightest.
  json careers = head("acme/careers/index.html");
  CHECK(careers["CacheControl"] == "public, max-age=300, must-revalidate");
  CHECK(careers["Metadata"]["cdn-cache-control"] == "max-age=60, stale-while-revalidate=3540, stale-if-error=3540");
  // A page of local data alone: the default profile, which never expires.
  json berlin = head("acme/jobs/berlin/index.html");
  CHECK(berlin["CacheControl"] == "public, max-age=300, must-revalidate");
  CHECK(berlin["Metadata"]["cdn-cache-control"] ==
        "max-age=900, stale-while-revalidate=31536000, stale-if-error=31536000");
  // A static file has neither.
  json css = head("acme/css/site.css");
  CHECK_FALSE(css.contains("CacheControl"));
  CHECK_FALSE(css["Metadata"].contains("cdn-cache-control"));

  auto inspected = site.run({"inspect", "page", "acme/careers", "--lang", "en"});
  REQUIRE(inspected.result.exit_code == 0);
  CHECK(inspected.report["cache"] == json{{"profile", "minutes"}, {"stale", 300}, {"revalidate", 60}, {"expire", 3600}});
  auto human = run_isrgen({"inspect", "page", "acme/jobs/berlin", "--site", site.root().string()});
  CHECK(human.out.find("  cache         default: stale 5 min, revalidate 15 min, expire never\n") != std::string::npos);
}
