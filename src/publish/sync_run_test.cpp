// The sync planner and runner against an in-memory bucket: what is uploaded,
// recorded, deleted and purged, in which order, and what happens on failures.
#include "publish/sync_run.h"

#include <zlib.h>

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "publish/digest.h"
#include "test_support.h"
#include "util/fs.h"

using namespace isrgen;
using namespace isrgen::publish;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

namespace {

// What a client that accepts gzip reads from an object: zlib inflates the
// gzip stream (16 + MAX_WBITS: gzip header and trailer); "" if it is corrupt.
std::string gunzip(const std::string& bytes) {
  z_stream stream{};
  inflateInit2(&stream, 16 + MAX_WBITS);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  std::string out(1 << 16, '\0');
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int status = inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return status == Z_STREAM_END ? out : "";
}

struct StoredObject {
  std::string bytes;
  std::vector<std::pair<std::string, std::string>> headers;
};

class MemoryBucket final : public BucketClient {
 public:
  std::map<std::string, StoredObject> objects;
  std::vector<std::string> log;             // "PUT key" / "DELETE key" / "LIST", in order
  std::set<std::string> failing_keys;       // uploads of these fail

  std::string describe() const override { return "memory://bucket/"; }
  isrgen::Result<std::vector<RemoteObject>> list() override {
    log.push_back("LIST");
    std::vector<RemoteObject> listed;
    for (const auto& [key, object] : objects)
      listed.push_back({key, static_cast<int64_t>(object.bytes.size()), md5_hex(object.bytes)});
    return listed;
  }
  void upload(const std::vector<ObjectUpload>& uploads, const CompletionCallback& on_done) override {
    for (size_t i = 0; i < uploads.size(); ++i) {
      log.push_back("PUT " + uploads[i].key);
      if (failing_keys.count(uploads[i].key)) {
        on_done(i, isrgen::make_error("", 0, "HTTP 500"));
        continue;
      }
      std::string bytes = uploads[i].file.empty() ? uploads[i].body : isrgen::read_file(uploads[i].file).value();
      REQUIRE(md5_hex(bytes) == uploads[i].md5);
      REQUIRE(sha256_hex(bytes) == uploads[i].sha256);
      REQUIRE(static_cast<int64_t>(bytes.size()) == uploads[i].size);
      objects[uploads[i].key] = {bytes, uploads[i].headers};
      on_done(i, isrgen::Status::Ok());
    }
  }
  void remove(const std::vector<std::string>& keys, const CompletionCallback& on_done) override {
    for (size_t i = 0; i < keys.size(); ++i) {
      log.push_back("DELETE " + keys[i]);
      objects.erase(keys[i]);
      on_done(i, isrgen::Status::Ok());
    }
  }

  std::string header(const std::string& key, const std::string& name) const {
    for (const auto& [header_name, value] : objects.at(key).headers)
      if (header_name == name) return value;
    return "";
  }
  size_t writes() const {
    size_t count = 0;
    for (const std::string& entry : log) count += entry != "LIST";
    return count;
  }
};

// An output folder as a build leaves it: pages with metadata, an asset.
struct Fixture {
  ScratchDir dir;
  MemoryBucket bucket;
  DeployConfig config;
  std::unique_ptr<DeployState> state = DeployState::open(dir.path() / ".isrgen/deploy.db").value();

  Fixture() {
    page("acme/index.html", "<h1>home</h1>", {"page:acme/index", "tenant:acme", "models:m-1"});
    page("acme/summer/index.html", "<h1>summer</h1>", {"page:acme/summer", "tenant:acme"});
    write_text(out() / "acme/theme.css", "body{}");
  }
  std::string out_name = "out";
  std::filesystem::path out() const { return dir.path() / out_name; }
  void page(const std::string& key, const std::string& html, const std::vector<std::string>& tags) const {
    write_text(out() / key, html);
    write_text(out() / std::filesystem::path(key).parent_path() / "index.metadata.json",
               nlohmann::json{{"tags", tags}}.dump());
  }
  SyncReport sync(SyncOptions options = {}, PurgeCallBuilder purge = {}) {
    auto report = try_sync(options, std::move(purge));
    REQUIRE(report.ok());
    return report.value();
  }
  isrgen::Result<SyncReport> try_sync(SyncOptions options = {}, PurgeCallBuilder purge = {}) {
    SyncJob job;
    job.client = &bucket;
    job.state = state.get();
    job.target_id = "memory";
    job.out = out();
    job.config = &config;
    job.options = options;
    job.purge = std::move(purge);
    return run_sync(job);
  }
};

std::vector<std::string> uploaded_keys(const SyncReport& report) {
  std::vector<std::string> keys;
  for (const auto& upload : report.uploaded) keys.push_back(upload.key);
  return keys;
}

}  // namespace

TEST_CASE("sync: assets go first, then pages, metadata stays home, and a second sync sends nothing") {
  Fixture site;
  SyncReport first = site.sync();
  CHECK(first.exit_code() == 0);
  CHECK(site.bucket.log ==
        std::vector<std::string>{"PUT acme/theme.css", "PUT acme/index.html", "PUT acme/summer/index.html"});
  CHECK(site.bucket.header("acme/index.html", "Content-Type") == "text/html; charset=utf-8");
  CHECK(site.bucket.header("acme/theme.css", "Content-Type") == "text/css; charset=utf-8");
  CHECK(site.bucket.header("acme/index.html", "x-amz-meta-cache-tag") == "page:acme/index,tenant:acme,models:m-1");
  CHECK(site.bucket.header("acme/theme.css", "x-amz-meta-cache-tag").empty());
  CHECK(first.bytes == 13 + 15 + 6);

  site.bucket.log.clear();
  SyncReport second = site.sync();
  CHECK(site.bucket.log.empty());
  CHECK(second.uploaded.empty());
  CHECK(second.unchanged == 3);
}

TEST_CASE("sync: only the edited file goes, a file saved with the same bytes does not") {
  Fixture site;
  site.sync();
  site.bucket.log.clear();
  write_text(site.out() / "acme/summer/index.html", "<h1>summer!</h1>");
  write_text(site.out() / "acme/theme.css", "body{}");  // same bytes, new mtime
  SyncReport report = site.sync();
  CHECK(site.bucket.log == std::vector<std::string>{"PUT acme/summer/index.html"});
  CHECK(report.uploaded[0].reason == "changed");
  CHECK(report.adopted == 1);  // the css's new stat signature is remembered, so it is not hashed again
}

TEST_CASE("sync: gone pages are deleted after the uploads, and purged with their tags") {
  Fixture site;
  site.sync();
  site.bucket.log.clear();
  std::filesystem::remove_all(site.out() / "acme/summer");
  write_text(site.out() / "acme/index.html", "<h1>home 2</h1>");
  std::vector<PurgeRequest> purges;
  SyncReport report = site.sync({}, [&](const PurgeRequest& request) {
    purges.push_back(request);
    return std::vector<net::Request>{};
  });
  CHECK(site.bucket.log == std::vector<std::string>{"PUT acme/index.html", "DELETE acme/summer/index.html"});
  CHECK(report.deleted == std::vector<std::string>{"acme/summer/index.html"});
  REQUIRE(purges.size() == 1);
  CHECK(purges[0].paths == std::vector<std::string>{"/acme/", "/acme/index.html", "/acme/summer/",
                                                     "/acme/summer/index.html"});
  CHECK(purges[0].tags == std::vector<std::string>{"page:acme/index", "page:acme/summer"});
  CHECK(report.purged);
}

TEST_CASE("sync: more deletes than --max-deletes delete nothing and exit 1, uploads still happen") {
  Fixture site;
  site.sync();
  site.bucket.log.clear();
  std::filesystem::remove_all(site.out() / "acme/summer");
  std::filesystem::remove(site.out() / "acme/theme.css");
  write_text(site.out() / "acme/new/index.html", "new");
  SyncReport report = site.sync({.max_deletes = 1});
  CHECK(site.bucket.log == std::vector<std::string>{"PUT acme/new/index.html"});
  CHECK(report.deletes_held_back == 2);
  CHECK(report.exit_code() == 1);
  CHECK(report.to_json()["deletes_held_back"]["reason"].get<std::string>().find("--max-deletes 1") !=
        std::string::npos);

  SyncReport allowed = site.sync({.max_deletes = 2});
  CHECK(allowed.deleted.size() == 2);
  CHECK(allowed.exit_code() == 0);
}

TEST_CASE("sync: a failed upload is not recorded, holds back deletes, and the rerun finishes") {
  Fixture site;
  write_text(site.out() / "acme/extra.txt", "x");
  site.sync();
  write_text(site.out() / "acme/index.html", "<h1>home 2</h1>");
  write_text(site.out() / "acme/summer/index.html", "<h1>summer 2</h1>");
  std::filesystem::remove(site.out() / "acme/extra.txt");
  site.bucket.failing_keys = {"acme/summer/index.html"};
  SyncReport failed = site.sync();
  CHECK(failed.exit_code() == 1);
  CHECK(failed.failed.size() == 1);
  CHECK(uploaded_keys(failed) == std::vector<std::string>{"acme/index.html"});
  CHECK(failed.deletes_held_back == 1);
  CHECK(site.bucket.objects.count("acme/extra.txt") == 1);

  site.bucket.failing_keys.clear();
  site.bucket.log.clear();
  SyncReport rerun = site.sync();
  CHECK(rerun.exit_code() == 0);
  CHECK(site.bucket.log == std::vector<std::string>{"PUT acme/summer/index.html", "DELETE acme/extra.txt"});
}

TEST_CASE("sync: a failed asset upload holds the pages back, exits 1, and the rerun sends them after it") {
  Fixture site;
  site.bucket.failing_keys = {"acme/theme.css"};
  SyncReport failed = site.sync();
  CHECK(failed.exit_code() == 1);
  CHECK(site.bucket.log == std::vector<std::string>{"PUT acme/theme.css"});
  CHECK(failed.uploaded.empty());
  CHECK(failed.pages_held_back == 2);
  CHECK(failed.to_json()["pages_held_back"]["count"] == 2);
  CHECK(failed.to_json()["pages_held_back"]["reason"].get<std::string>().find("an asset upload failed") !=
        std::string::npos);

  site.bucket.failing_keys.clear();
  site.bucket.log.clear();
  SyncReport rerun = site.sync();
  CHECK(rerun.exit_code() == 0);
  CHECK(rerun.pages_held_back == 0);
  CHECK(site.bucket.log ==
        std::vector<std::string>{"PUT acme/theme.css", "PUT acme/index.html", "PUT acme/summer/index.html"});
}

TEST_CASE("sync: a folder of the output that cannot be read fails the sync instead of deleting what is under it") {
  Fixture site;
  // A folder nested so deep that its path is just under PATH_MAX (4096), with a
  // file in it; once the output folder's own name grows, opening the deep folder
  // by its path fails (ENAMETOOLONG), as an unreadable folder would, even as root.
  std::filesystem::path deep = site.out() / "acme";
  while (deep.native().size() < 3800) deep /= std::string(200, 'd');
  deep /= std::string(4000 - deep.native().size() - 1, 'e');
  REQUIRE(deep.native().size() == 4000);
  write_text(deep / "x.txt", "deep");
  REQUIRE(site.sync().exit_code() == 0);
  size_t objects = site.bucket.objects.size();
  REQUIRE(objects == 4);

  std::string long_name = "out" + std::string(150, 'o');
  std::filesystem::rename(site.out(), site.dir.path() / long_name);
  site.out_name = long_name;
  site.bucket.log.clear();
  auto report = site.try_sync();
  std::filesystem::rename(site.out(), site.dir.path() / "out");  // short again, so the scratch folder can go
  site.out_name = "out";
  REQUIRE_FALSE(report.ok());
  std::string message = report.error().to_string();
  INFO(message);
  CHECK(message.find("cannot list the folder") != std::string::npos);
  CHECK(message.find(std::string(200, 'd')) != std::string::npos);  // the folder's path
  CHECK(message.find("nothing was synced") != std::string::npos);
  CHECK(site.bucket.log.empty());
  CHECK(site.bucket.objects.size() == objects);
}

TEST_CASE("sync --dry-run reports the plan and writes nothing") {
  Fixture site;
  SyncReport report = site.sync({.dry_run = true}, [](const PurgeRequest&) -> std::vector<net::Request> {
    FAIL("a dry run purges nothing");
    return {};
  });
  CHECK(site.bucket.log.empty());
  CHECK(uploaded_keys(report) ==
        std::vector<std::string>{"acme/theme.css", "acme/index.html", "acme/summer/index.html"});
  CHECK(report.purge.tags.size() == 2);
  CHECK_FALSE(report.purged);
  CHECK(site.sync().uploaded.size() == 3);  // nothing was recorded either
}

TEST_CASE("sync --verify-remote with an empty deploy state uploads only what the bucket lacks") {
  Fixture site;
  site.sync();
  site.state = DeployState::open(site.dir.path() / ".isrgen/other.db").value();  // a fresh CI machine
  site.bucket.objects["acme/theme.css"].bytes = "body{color:red}";             // changed behind our back
  site.bucket.objects["acme/stray.txt"] = {"left over", {}};
  site.bucket.log.clear();
  SyncReport report = site.sync({.verify_remote = true});
  CHECK(site.bucket.log == std::vector<std::string>{"LIST", "PUT acme/theme.css", "DELETE acme/stray.txt"});
  CHECK(report.adopted == 2);
  site.bucket.log.clear();
  site.sync();
  CHECK(site.bucket.log.empty());
}

TEST_CASE("sync: rules set Cache-Control, gzip, and can include metadata") {
  Fixture site;
  site.config.cache_control = "public, max-age=60";
  site.config.rules = {{.match = "**/*.html", .cache_control = "public, max-age=300", .gzip = true},
                       {.match = "**/*.css", .cache_control = "public, max-age=31536000, immutable"},
                       {.match = "acme/index.metadata.json", .sync = true}};
  site.sync();
  CHECK(site.bucket.header("acme/index.html", "Cache-Control") == "public, max-age=300");
  CHECK(site.bucket.header("acme/index.html", "Content-Encoding") == "gzip");
  CHECK(gunzip(site.bucket.objects.at("acme/index.html").bytes) == "<h1>home</h1>");
  CHECK(site.bucket.header("acme/theme.css", "Cache-Control") == "public, max-age=31536000, immutable");
  CHECK(site.bucket.objects.count("acme/index.metadata.json") == 1);
  CHECK(site.bucket.header("acme/index.metadata.json", "Cache-Control") == "public, max-age=60");
  CHECK(site.bucket.objects.count("acme/summer/index.metadata.json") == 0);

  // A changed rule re-sends the objects it changes, and only those.
  site.bucket.log.clear();
  site.config.rules[1].cache_control = "no-cache";
  SyncReport report = site.sync();
  CHECK(site.bucket.log == std::vector<std::string>{"PUT acme/theme.css"});
  CHECK(report.uploaded[0].reason == "headers changed");
}

TEST_CASE("sync: a fingerprinted file gone from the output stays one more sync, other files go at once") {
  Fixture site;
  write_text(site.out() / "acme/css/site.0123abcd.css", "old{}");
  site.sync();
  site.bucket.log.clear();
  std::filesystem::remove(site.out() / "acme/css/site.0123abcd.css");
  std::filesystem::remove(site.out() / "acme/theme.css");
  write_text(site.out() / "acme/css/site.89abcdef.css", "new{}");
  write_text(site.out() / "acme/index.html", "<h1>home 2</h1>");

  SyncReport retiring = site.sync();
  CHECK(site.bucket.log ==
        std::vector<std::string>{"PUT acme/css/site.89abcdef.css", "PUT acme/index.html", "DELETE acme/theme.css"});
  CHECK(retiring.deleted == std::vector<std::string>{"acme/theme.css"});
  CHECK(retiring.retained == std::vector<std::string>{"acme/css/site.0123abcd.css"});
  CHECK(retiring.to_json()["retained"] == nlohmann::json{"acme/css/site.0123abcd.css"});
  CHECK(retiring.exit_code() == 0);
  CHECK(site.bucket.objects.count("acme/css/site.0123abcd.css") == 1);

  site.bucket.log.clear();
  SyncReport dry = site.sync({.dry_run = true});
  CHECK(dry.deleted == std::vector<std::string>{"acme/css/site.0123abcd.css"});
  CHECK(site.bucket.log.empty());

  SyncReport next = site.sync();
  CHECK(site.bucket.log == std::vector<std::string>{"DELETE acme/css/site.0123abcd.css"});
  CHECK(next.deleted == std::vector<std::string>{"acme/css/site.0123abcd.css"});
  CHECK(next.retained.empty());
  CHECK(site.state->load("memory").value().count("acme/css/site.0123abcd.css") == 0);
}

TEST_CASE("sync: a retired fingerprinted file back in the output is kept, and its deletes obey --max-deletes") {
  Fixture site;
  write_text(site.out() / "acme/css/site.0123abcd.css", "old{}");
  write_text(site.out() / "acme/app.fedcba98.js", "js");
  site.sync();
  std::filesystem::remove(site.out() / "acme/css/site.0123abcd.css");
  std::filesystem::remove(site.out() / "acme/app.fedcba98.js");
  CHECK(site.sync().retained.size() == 2);

  write_text(site.out() / "acme/css/site.0123abcd.css", "old{}");  // reverted: the same bytes again
  site.bucket.log.clear();
  SyncReport held = site.sync({.max_deletes = 0});
  CHECK(site.bucket.log.empty());
  CHECK(held.deletes_held_back == 1);
  CHECK(held.retained.empty());

  SyncReport allowed = site.sync();
  CHECK(allowed.deleted == std::vector<std::string>{"acme/app.fedcba98.js"});
  SyncReport later = site.sync();
  CHECK(later.deleted.empty());
  CHECK(site.bucket.objects.count("acme/css/site.0123abcd.css") == 1);
  CHECK(site.state->load("memory").value().at("acme/css/site.0123abcd.css").retired_at == 0);
}

TEST_CASE("sync: deletes held back by a failed upload do not start a retirement") {
  Fixture site;
  write_text(site.out() / "acme/css/site.0123abcd.css", "old{}");
  site.sync();
  std::filesystem::remove(site.out() / "acme/css/site.0123abcd.css");
  write_text(site.out() / "acme/css/site.89abcdef.css", "new{}");
  site.bucket.failing_keys = {"acme/css/site.89abcdef.css"};
  SyncReport failed = site.sync();
  CHECK(failed.exit_code() == 1);
  CHECK(site.state->load("memory").value().at("acme/css/site.0123abcd.css").retired_at == 0);

  site.bucket.failing_keys.clear();
  SyncReport retiring = site.sync();
  CHECK(retiring.retained == std::vector<std::string>{"acme/css/site.0123abcd.css"});
  CHECK(site.bucket.objects.count("acme/css/site.0123abcd.css") == 1);
  CHECK(site.sync().deleted == std::vector<std::string>{"acme/css/site.0123abcd.css"});
}
