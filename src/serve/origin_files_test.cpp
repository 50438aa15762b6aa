#include "serve/origin_files.h"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.h"
#include "util/fs.h"
#include "util/hash.h"

using namespace isrgen::serve;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;
namespace fs = std::filesystem;

namespace {

isrgen::publish::DeployConfig deploy_config(const std::string& toml) {
  auto parsed = isrgen::publish::parse_deploy_config(toml, "content/site.toml", isrgen::testing::fake_environment({}));
  REQUIRE(parsed.ok());
  return parsed.value();
}

// A site's output: two pages, a style sheet and a page's metadata.
struct Output {
  ScratchDir dir;
  fs::path out = dir / "out";
  Output() {
    write_text(out / "acme/index.html", "<h1>Acme</h1>");
    write_text(out / "acme/summer/index.html", "<h1>Summer</h1>");
    write_text(out / "acme/summer/index.metadata.json", "{\"page\":\"acme/summer\"}");
    write_text(out / "acme/css/site.css", "body{}");
    fs::create_directories(out / "acme/empty");
  }
};

HttpRequest get(std::initializer_list<std::pair<std::string, std::string>> headers = {}) {
  HttpRequest request;
  request.method = "GET";
  request.path = "/acme/summer/";
  for (const auto& header : headers) request.headers.push_back(header);
  return request;
}

std::string header(const HttpResponse& response, std::string_view name) {
  auto value = find_header(response.headers, name);
  return value ? std::string(*value) : "<none>";
}

// Rewrites `path` where it is (same inode), keeping its size.
void rewrite_in_place(const fs::path& path, const std::string& bytes) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("origin files: folders map to their index.html, files to themselves", "[origin_files]") {
  Output site;
  OriginFiles origin(site.out, {});
  OriginLookup summer = origin.find("acme/summer/");
  REQUIRE(summer.file);
  CHECK(summer.file->output == "acme/summer/index.html");
  CHECK(*summer.file->body == "<h1>Summer</h1>");
  CHECK_FALSE(summer.redirect);
  CHECK(origin.find("acme/").file->output == "acme/index.html");
  OriginLookup css = origin.find("acme/css/site.css");
  REQUIRE(css.file);
  CHECK(css.file->content_type == "text/css; charset=utf-8");
  CHECK(*css.file->body == "body{}");
  CHECK(origin.find("acme/summer/index.html").file->output == "acme/summer/index.html");
}

TEST_CASE("origin files: a folder without its slash redirects, if it has an index", "[origin_files]") {
  Output site;
  OriginFiles origin(site.out, {});
  OriginLookup summer = origin.find("acme/summer");
  CHECK_FALSE(summer.file);
  CHECK(summer.redirect == "acme/summer/");
  CHECK(origin.find("acme").redirect == "acme/");
  OriginLookup empty = origin.find("acme/empty");
  CHECK_FALSE(empty.file);
  CHECK_FALSE(empty.redirect);
  CHECK_FALSE(origin.find("acme/empty/").file);
  CHECK_FALSE(origin.find("acme/missing/").file);
  CHECK_FALSE(origin.find("acme/css/site.css/").file);
  CHECK_FALSE(origin.find("acme/missing").redirect);
}

TEST_CASE("origin files: metadata, temporary files and unclean paths are never served", "[origin_files]") {
  Output site;
  write_text(site.out / ".isrgen-tmp/.index.html.tmp.1.0", "half written");
  write_text(site.out / ".isrgen-tmp/index.html", "half written");
  write_text(site.dir / "secret.txt", "outside");
  OriginFiles origin(site.out, {});
  CHECK_FALSE(origin.find("acme/summer/index.metadata.json").file);
  CHECK_FALSE(origin.find(".isrgen-tmp/.index.html.tmp.1.0").file);
  CHECK_FALSE(origin.find(".isrgen-tmp/").file);
  CHECK_FALSE(origin.find(".isrgen-tmp").redirect);
  for (const char* path : {"../secret.txt", "acme/../../secret.txt", "acme/./summer/", "/acme/summer/",
                           "acme//summer/", "acme\\summer\\index.html"}) {
    INFO(path);
    CHECK_FALSE(origin.find(path).file);
  }
  CHECK_FALSE(origin.find(std::string("acme/index.html\0.css", 20)).file);
}

TEST_CASE("origin files: the deploy rules can publish metadata, as sync would", "[origin_files]") {
  Output site;
  OriginFiles origin(site.out, deploy_config("[[deploy.rules]]\nmatch = \"acme/**/index.metadata.json\"\nsync = true\n"
                                             "[[deploy.rules]]\nmatch = \"acme/css/**\"\nsync = false\n"));
  OriginLookup metadata = origin.find("acme/summer/index.metadata.json");
  REQUIRE(metadata.file);
  CHECK(metadata.file->content_type == "application/json; charset=utf-8");
  CHECK_FALSE(origin.find("acme/css/site.css").file);  // never synced, never served
}

TEST_CASE("origin files: symlinks are followed only to what out/ may serve", "[origin_files]") {
  Output site;
  write_text(site.dir / "secret/key.txt", "outside");
  fs::create_symlink(site.dir / "secret/key.txt", site.out / "acme/key.txt");
  fs::create_directory_symlink(site.dir / "secret", site.out / "acme/secret");
  fs::create_symlink(site.out / "acme/css/site.css", site.out / "acme/style.css");
  fs::create_symlink(site.out / "acme/summer/index.metadata.json", site.out / "acme/meta.txt");
  fs::create_directory_symlink(site.out / ".isrgen-tmp", site.out / "acme/tmp");
  write_text(site.out / ".isrgen-tmp/x.html", "half written");
  REQUIRE(::mkfifo((site.out / "acme/pipe").c_str(), 0600) == 0);
  OriginFiles origin(site.out, {});
  CHECK_FALSE(origin.find("acme/key.txt").file);
  CHECK_FALSE(origin.find("acme/secret/key.txt").file);
  CHECK_FALSE(origin.find("acme/meta.txt").file);
  CHECK_FALSE(origin.find("acme/tmp/x.html").file);
  CHECK_FALSE(origin.find("acme/pipe").file);
  OriginLookup style = origin.find("acme/style.css");
  REQUIRE(style.file);
  CHECK(*style.file->body == "body{}");
}

TEST_CASE("origin files: content type and cache control come from [[deploy.rules]]", "[origin_files]") {
  Output site;
  write_text(site.out / "acme/feed", "<rss/>");
  OriginFiles origin(site.out, deploy_config(R"(
[deploy]
cache_control = "public, max-age=60"

[[deploy.rules]]
match = "**/*.css"
cache_control = "public, max-age=31536000, immutable"

[[deploy.rules]]
match = "acme/feed"
content_type = "application/rss+xml"
)"));
  auto css = origin.find("acme/css/site.css").file;
  REQUIRE(css);
  CHECK(css->cache_control == "public, max-age=31536000, immutable");
  CHECK(css->content_type == "text/css; charset=utf-8");
  auto feed = origin.find("acme/feed").file;
  REQUIRE(feed);
  CHECK(feed->content_type == "application/rss+xml");
  CHECK(feed->cache_control == "public, max-age=60");
  auto page = origin.find("acme/summer/").file;
  CHECK(page->content_type == "text/html; charset=utf-8");
  CHECK(page->cache_control == "public, max-age=60");
}

TEST_CASE("origin files: a cached file is checked on every find", "[origin_files]") {
  Output site;
  OriginFiles origin(site.out, {});
  auto first = origin.find("acme/summer/").file;
  REQUIRE(first);
  CHECK(origin.cached_bytes() == first->body->size());
  CHECK(origin.find("acme/summer/").file == first);  // the cached entry itself

  SECTION("replaced atomically, as builds write") {
    REQUIRE(isrgen::write_file_atomic(site.out / "acme/summer/index.html", "<h1>Winter</h1>").ok());
    auto second = origin.find("acme/summer/").file;
    REQUIRE(second);
    CHECK(*second->body == "<h1>Winter</h1>");
    CHECK(second->etag != first->etag);
    CHECK(origin.cached_bytes() == second->body->size());
  }
  SECTION("rewritten in place, same size, another mtime") {
    fs::path path = site.out / "acme/summer/index.html";
    auto before = fs::last_write_time(path);
    rewrite_in_place(path, "<h1>Spring</h1>");
    fs::last_write_time(path, before + std::chrono::seconds(5));
    auto second = origin.find("acme/summer/").file;
    REQUIRE(second);
    CHECK(*second->body == "<h1>Spring</h1>");
    CHECK(second->last_modified != first->last_modified);
  }
  SECTION("deleted") {
    fs::remove(site.out / "acme/summer/index.html");
    CHECK_FALSE(origin.find("acme/summer/").file);
  }
  SECTION("forgotten") {
    origin.forget("acme/summer/index.html");
    CHECK(origin.cached_bytes() == 0);
    auto second = origin.find("acme/summer/").file;
    CHECK(second != first);
    CHECK(*second->body == *first->body);
    origin.forget("acme/never/index.html");  // nothing to drop: no harm
  }
}

TEST_CASE("origin files: the cache stays within its bounds", "[origin_files]") {
  Output site;
  write_text(site.out / "acme/big.bin", std::string(100, 'x'));
  OriginFiles origin(site.out, {}, /*max_cache_bytes=*/30, /*max_cached_file_bytes=*/20);
  auto big = origin.find("acme/big.bin").file;
  REQUIRE(big);
  CHECK(big->body->size() == 100);  // served, but read on every request
  CHECK(origin.cached_bytes() == 0);
  CHECK(origin.find("acme/big.bin").file != big);
  REQUIRE(origin.find("acme/summer/").file);   // 15 bytes
  REQUIRE(origin.find("acme/").file);          // 13 bytes
  CHECK(origin.cached_bytes() == 28);
  REQUIRE(origin.find("acme/css/site.css").file);  // 6 more: something goes
  CHECK(origin.cached_bytes() <= 30);
  CHECK(origin.cached_bytes() >= 6);
}

TEST_CASE("origin files: a 200 carries the body and the validators", "[origin_files]") {
  Output site;
  OriginFiles origin(site.out, deploy_config("[deploy]\ncache_control = \"public, max-age=60\"\n"));
  auto file = origin.find("acme/summer/").file;
  REQUIRE(file);
  HttpResponse response = answer_file(*file, get());
  CHECK(response.status == 200);
  CHECK(response.shared_body == file->body);  // shared, not copied
  CHECK(response.body_view() == "<h1>Summer</h1>");
  CHECK(header(response, "Content-Type") == "text/html; charset=utf-8");
  CHECK(header(response, "Cache-Control") == "public, max-age=60");
  CHECK(header(response, "ETag") == file->etag);
  CHECK(file->etag == "\"" + isrgen::content_hash("<h1>Summer</h1>") + "\"");
  CHECK(header(response, "Last-Modified") == file->last_modified);
  CHECK(file->last_modified.ends_with(" GMT"));
  CHECK(file->last_modified.size() == 29);  // "Sun, 06 Nov 1994 08:49:37 GMT"

  OriginFiles plain(site.out, {});
  HttpResponse no_cache_control = answer_file(*plain.find("acme/").file, get());
  CHECK(header(no_cache_control, "Cache-Control") == "<none>");
}

TEST_CASE("origin files: If-None-Match and If-Modified-Since give a 304", "[origin_files]") {
  Output site;
  OriginFiles origin(site.out, deploy_config("[deploy]\ncache_control = \"public, max-age=60\"\n"));
  fs::last_write_time(site.out / "acme/summer/index.html",
                      fs::file_time_type::clock::from_sys(std::chrono::sys_seconds(std::chrono::seconds(784111777))));
  auto file = origin.find("acme/summer/").file;
  REQUIRE(file);
  REQUIRE(file->last_modified == "Sun, 06 Nov 1994 08:49:37 GMT");
  const std::string& etag = file->etag;

  auto status = [&](HttpRequest request) { return answer_file(*file, request).status; };
  CHECK(status(get({{"If-None-Match", etag}})) == 304);
  CHECK(status(get({{"if-none-match", "\"other\", " + etag}})) == 304);
  CHECK(status(get({{"If-None-Match", "W/" + etag}})) == 304);
  CHECK(status(get({{"If-None-Match", "*"}})) == 304);
  CHECK(status(get({{"If-None-Match", "\"other\""}, {"If-None-Match", etag}})) == 304);
  CHECK(status(get({{"If-None-Match", "\"other\""}})) == 200);
  CHECK(status(get({{"If-None-Match", etag.substr(1, etag.size() - 2)}})) == 200);  // unquoted: not a tag

  CHECK(status(get({{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}})) == 304);
  CHECK(status(get({{"If-Modified-Since", "Mon, 07 Nov 1994 00:00:00 GMT"}})) == 304);
  CHECK(status(get({{"If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"}})) == 304);
  CHECK(status(get({{"If-Modified-Since", "Sun Nov  6 08:49:37 1994"}})) == 304);
  CHECK(status(get({{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:36 GMT"}})) == 200);
  CHECK(status(get({{"If-Modified-Since", "yesterday"}})) == 200);
  // If-None-Match decides alone when present.
  CHECK(status(get({{"If-None-Match", "\"other\""}, {"If-Modified-Since", file->last_modified}})) == 200);

  HttpResponse not_modified = answer_file(*file, get({{"If-None-Match", etag}}));
  CHECK(not_modified.body_view().empty());
  CHECK_FALSE(not_modified.shared_body);
  CHECK(header(not_modified, "ETag") == etag);
  CHECK(header(not_modified, "Cache-Control") == "public, max-age=60");

  HttpRequest head = get({{"If-None-Match", etag}});
  head.method = "HEAD";
  CHECK(status(head) == 304);
  HttpRequest post = get({{"If-None-Match", etag}});
  post.method = "POST";
  CHECK(status(post) == 200);
}

TEST_CASE("origin files: readers in parallel with a build see whole files only", "[origin_files]") {
  Output site;
  OriginFiles origin(site.out, {});
  const std::string versions[] = {std::string(4096, 'a'), std::string(8192, 'b')};
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0}, served{0};
  int failed_writes = 0;
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        auto file = origin.find("acme/summer/").file;
        if (!file) continue;
        ++served;
        if (*file->body != "<h1>Summer</h1>" && *file->body != versions[0] && *file->body != versions[1]) ++torn;
      }
    });
  }
  while (served == 0) std::this_thread::yield();
  for (int i = 0; i < 200; ++i) {
    if (!isrgen::write_file_atomic(site.out / "acme/summer/index.html", versions[i % 2]).ok()) ++failed_writes;
    if (i % 50 == 0) origin.forget("acme/summer/index.html");
  }
  stop = true;
  for (std::thread& reader : readers) reader.join();
  CHECK(failed_writes == 0);
  CHECK(torn == 0);
  CHECK(*origin.find("acme/summer/").file->body == versions[1]);
}
