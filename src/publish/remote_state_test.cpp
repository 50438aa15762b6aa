// Two "runners" (two site folders with the same files) sharing one state
// bucket: the second, starting without .isrgen/ or out/, renders and syncs
// only what its commit changed, and nothing it fetched names the first's folder.
#include "publish/remote_state.h"

#include <catch2/catch.hpp>

#include "fixture_site.h"
#include "publish/gzip.h"
#include "publish/rebuild.h"
#include "publish/test_state_bucket.h"
#include "publish/zstd_codec.h"
#include "test_images.h"

using namespace isrgen;
using namespace isrgen::publish;
using namespace isrgen::testing;
using isrgen::publish::testing::MemoryStateBucket;

namespace {

const std::string kBerlin = "content/pages/acme/jobs/berlin.md";

struct Runner {
  FixtureSite site;
  ManualClock clock{1'790'000'000'000};
  SitePaths paths() const { return make_site_paths(site.root(), ""); }

  RebuildOutcome build_and_sync(const fs::path& target) const {
    RebuildRequest request;
    request.sync = true;
    request.sync_options.target = target.string();
    auto outcome = rebuild(paths(), request, clock);
    REQUIRE(outcome.ok());
    REQUIRE(outcome.value().sync);
    REQUIRE(outcome.value().sync->ok());
    return std::move(outcome.value());
  }
};

std::unique_ptr<StateLease> lease_on(StateBucket& bucket, const Clock& clock) {
  LeaseRequest request;
  request.command = "isrgen build";
  auto lease = StateLease::acquire(bucket, request, clock);
  REQUIRE(lease.ok());
  return std::move(lease.value());
}

// Runner A built and synced, its state stored once.
struct StoredRunner {
  MemoryStateBucket bucket;
  Runner a;
  RemoteState state{bucket, a.paths(), a.clock};
  std::unique_ptr<StateLease> lease;

  StoredRunner() {
    a.build_and_sync(a.site / "public");
    lease = lease_on(bucket, a.clock);
    REQUIRE(state.store(StoreScope::kEverything, *lease).ok());
  }
};

bool contains(const std::string& bytes, const std::string& text) { return bytes.find(text) != std::string::npos; }

}  // namespace

TEST_CASE("remote state: a second runner renders and syncs only the page its commit changed") {
  MemoryStateBucket bucket;
  ScratchDir target;
  Runner a;
  a.build_and_sync(target.path());
  auto lease = lease_on(bucket, a.clock);
  RemoteState stored_by_a(bucket, a.paths(), a.clock);
  auto stored = stored_by_a.store(StoreScope::kEverything, *lease);
  REQUIRE(stored.ok());
  CHECK(stored.value().generation == 1);
  CHECK(stored.value().uploaded == 3);  // state.db, deploy.db, out
  // Nothing stored depends on where runner A was.
  for (const auto& [key, bytes] : bucket.objects) {
    if (!key.starts_with("objects/")) continue;
    CHECK(key.ends_with(".zst"));
    auto plain = zstd_decompress(bytes, 1 << 30, key);
    REQUIRE(plain.ok());
    CHECK_FALSE(contains(plain.value(), a.site.root().string()));
  }

  Runner b;
  b.site.replace(kBerlin, "Jobs in Berlin.", "Jobs in Berlin, and more.");
  RemoteState fetched_by_b(bucket, b.paths(), b.clock);
  auto restored = fetched_by_b.restore();
  REQUIRE(restored.ok());
  CHECK(restored.value().fetched);
  CHECK(restored.value().generation == 1);
  CHECK(b.site.read_out("acme/index.html") == a.site.read_out("acme/index.html"));

  RebuildOutcome outcome = b.build_and_sync(target.path());
  std::vector<std::string> rendered;
  for (const auto& page : outcome.build.rendered) rendered.push_back(page.page + "/" + page.lang);
  CHECK(rendered == std::vector<std::string>{"acme/jobs/berlin/en"});
  const SyncReport& sync = outcome.sync->value();
  REQUIRE(sync.uploaded.size() == 1);
  CHECK(sync.uploaded[0].key == "acme/jobs/berlin/index.html");
  CHECK(sync.deleted.empty());

  // Fetched once: the local copy is now as new as the bucket's.
  auto again = fetched_by_b.restore();
  REQUIRE(again.ok());
  CHECK_FALSE(again.value().fetched);
}

TEST_CASE("remote state: storing what did not change sends only the manifest") {
  StoredRunner stored;
  const int puts = stored.bucket.puts;
  auto second = stored.state.store(StoreScope::kEverything, *stored.lease);
  REQUIRE(second.ok());
  CHECK(second.value().generation == 2);
  CHECK(second.value().uploaded == 0);
  CHECK(stored.bucket.puts == puts + 2);  // the lease's renewal and the manifest
}

TEST_CASE("remote state: a state kept as gzip is read, and only the objects that change are stored again, as zstd") {
  StoredRunner stored;
  // The state as an isrgen that compressed with gzip stored it.
  MemoryStateBucket& bucket = stored.bucket;
  std::string manifest = bucket.objects.at("manifest.json");
  for (const auto& [key, bytes] : std::map<std::string, std::string>(bucket.objects)) {
    if (!key.ends_with(".zst")) continue;
    auto plain = zstd_decompress(bytes, 1 << 30, key);
    REQUIRE(plain.ok());
    const std::string gzip_key = key.substr(0, key.size() - 4) + ".gz";
    bucket.objects.erase(key);
    bucket.objects[gzip_key] = gzip_compress(plain.value(), 1);
    manifest.replace(manifest.find(key), key.size(), gzip_key);
  }
  bucket.objects["manifest.json"] = manifest;

  Runner b;
  b.site.replace(kBerlin, "Jobs in Berlin.", "Jobs in Berlin, and more.");
  RemoteState state(bucket, b.paths(), b.clock);
  auto restored = state.restore();
  REQUIRE(restored.ok());
  REQUIRE(restored.value().fetched);
  CHECK(b.site.read_out("acme/index.html") == stored.a.site.read_out("acme/index.html"));

  RebuildOutcome outcome = b.build_and_sync(stored.a.site / "public");
  CHECK(outcome.build.rendered.size() == 1);
  auto stored_by_b = state.store(StoreScope::kEverything, *stored.lease);  // the lease A's run still holds
  REQUIRE(stored_by_b.ok());
  auto next = StateManifest::parse(bucket.objects.at("manifest.json"), "manifest.json");
  REQUIRE(next.ok());
  CHECK(next.value().objects.at("out").key.ends_with(".zst"));  // a page changed
  CHECK(next.value().objects.at("state.db").key.ends_with(".zst"));
  for (const auto& [name, entry] : next.value().objects) CHECK(bucket.objects.contains(entry.key));
}

TEST_CASE("remote state: a run whose lease was taken over stores no manifest") {
  MemoryStateBucket bucket;
  Runner a;
  a.build_and_sync(a.site / "public");
  LeaseRequest request;
  request.command = "isrgen build";
  request.ttl_ms = 1000;
  auto stalled = StateLease::acquire(bucket, request, a.clock);
  REQUIRE(stalled.ok());
  a.clock.advance_ms(1000);
  auto taker = StateLease::acquire(bucket, request, a.clock);
  REQUIRE(taker.ok());
  RemoteState state(bucket, a.paths(), a.clock);
  auto stored = state.store(StoreScope::kEverything, *stalled.value());
  REQUIRE_FALSE(stored.ok());
  CHECK(stored.error().message.find("taken over") != std::string::npos);
  CHECK_FALSE(bucket.objects.contains("manifest.json"));
}

TEST_CASE("remote state: a failed run stores only the deploy state, and keeps the rest of the last generation") {
  StoredRunner stored;
  auto first = StateManifest::parse(stored.bucket.objects.at("manifest.json"), "manifest.json");
  REQUIRE(first.ok());

  stored.a.site.replace(kBerlin, "Jobs in Berlin.", "Jobs in Berlin, and more.");
  stored.a.build_and_sync(stored.a.site / "public");
  auto failed = stored.state.store(StoreScope::kDeployStateOnly, *stored.lease);
  REQUIRE(failed.ok());
  auto second = StateManifest::parse(stored.bucket.objects.at("manifest.json"), "manifest.json");
  REQUIRE(second.ok());
  CHECK(second.value().generation == 2);
  CHECK(second.value().objects.at("state.db") == first.value().objects.at("state.db"));
  CHECK(second.value().objects.at("out") == first.value().objects.at("out"));
  CHECK(second.value().objects.at("deploy.db") != first.value().objects.at("deploy.db"));
}

TEST_CASE("remote state: a damaged manifest or object is refused before anything local is replaced") {
  StoredRunner stored;
  MemoryStateBucket& bucket = stored.bucket;
  Runner b;
  RemoteState state(bucket, b.paths(), b.clock);
  SECTION("an object's bytes changed") {
    for (auto& [key, bytes] : bucket.objects)
      if (key.starts_with("objects/")) bytes = zstd_compress("something else", 3, 1);
    auto restored = state.restore();
    REQUIRE_FALSE(restored.ok());
    CHECK(restored.error().message.find("do not match") != std::string::npos);
  }
  SECTION("the manifest names a key outside objects/") {
    std::string& manifest = bucket.objects.at("manifest.json");
    manifest.replace(manifest.find("\"objects/"), 9, "\"../../x/");
    auto restored = state.restore();
    REQUIRE_FALSE(restored.ok());
    CHECK(restored.error().message.find("names the object") != std::string::npos);
  }
  SECTION("the manifest nests deeper than any isrgen writes") {
    bucket.objects["manifest.json"] = std::string(100'000, '[') + std::string(100'000, ']');
    auto restored = state.restore();
    REQUIRE_FALSE(restored.ok());
    CHECK(restored.error().message.find("nests deeper") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(b.site / ".isrgen/state.db"));
  CHECK_FALSE(fs::exists(b.site.out()));
}

TEST_CASE("remote state: the encode-once image cache travels, so a fresh runner encodes nothing", "[assets]") {
  MemoryStateBucket bucket;
  ScratchDir target;
  auto add_image = [](const Runner& runner) {
    runner.site.write("static/acme/img/a.jpg", make_jpeg(700, 300));
    runner.site.write("content/pages/acme/photo.md", "---\ntitle: Photo\n---\n![A](/img/a.jpg)\n");
  };
  Runner a;
  add_image(a);
  RebuildOutcome first = a.build_and_sync(target.path());
  CHECK(first.build.images_encoded == 6);  // 320, 640 and its own 700, in WebP and JPEG; 960 and 1280 would upscale
  auto lease = lease_on(bucket, a.clock);
  RemoteState stored_by_a(bucket, a.paths(), a.clock);
  auto stored = stored_by_a.store(StoreScope::kEverything, *lease);
  REQUIRE(stored.ok());
  CHECK(stored.value().uploaded == 4);  // state.db, deploy.db, out, assets

  Runner b;
  add_image(b);
  b.site.replace("content/pages/acme/photo.md", "title: Photo", "title: A photo");
  RemoteState fetched_by_b(bucket, b.paths(), b.clock);
  REQUIRE(fetched_by_b.restore().ok());
  CHECK(fs::exists(b.paths().asset_cache()));
  RebuildOutcome outcome = b.build_and_sync(target.path());
  CHECK(outcome.build.images_encoded == 0);
  CHECK(outcome.build.images_reused == 6);
  CHECK(outcome.build.images_probed == 0);
}
