#include "engine/asset_outputs.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using namespace isrgen::testing;

namespace {

struct AssetSite {
  ScratchDir dir;
  SitePaths paths = make_site_paths(dir.path(), "");
  SiteConfig config;
  AssetSite() {
    write_text(paths.asset_cache() / "aaaa.webp", "webp bytes");
    write_text(paths.asset_cache() / "bbbb.jpg", "jpeg bytes");
    write_text(paths.root / "static/acme/css/site.css", "body{}");
    REQUIRE(real_disk().prepare_output(paths.out).ok());
  }
  assets::AssetOutput webp() const { return {"acme/img/a.320w.aaaa.webp", "static/acme/img/a.jpg", "h1", "aaaa.webp"}; }
  assets::AssetOutput jpeg() const { return {"acme/img/a.320w.bbbb.jpg", "static/acme/img/a.jpg", "h1", "bbbb.jpg"}; }
  assets::AssetOutput css() const { return {"acme/css/site.12345678.css", "static/acme/css/site.css", "h2", ""}; }
};

}  // namespace

TEST_CASE("asset outputs: published from the cache or the static file, skipped when intact, removed when unused",
          "[build][assets]") {
  AssetSite site;
  auto first = publish_asset_outputs(site.paths, site.config,
                                     {{site.webp().output, site.webp()}, {site.css().output, site.css()}}, {}, {},
                                     site.paths.asset_cache(), real_disk());
  INFO((first.errors.empty() ? "" : first.errors[0].to_string()));
  REQUIRE(first.errors.empty());
  CHECK(read_text(site.paths.out / site.webp().output) == "webp bytes");
  CHECK(read_text(site.paths.out / site.css().output) == "body{}");
  REQUIRE(first.written.size() == 2);
  CHECK(first.written.at(site.css().output).source == "static/acme/css/site.css");

  // As recorded: nothing to write. The stylesheet's copy, used by another
  // page only, stays; the JPEG variant is new.
  auto second = publish_asset_outputs(site.paths, site.config,
                                      {{site.webp().output, site.webp()}, {site.jpeg().output, site.jpeg()}},
                                      {site.css().output}, first.written, site.paths.asset_cache(), real_disk());
  CHECK(second.written.size() == 1);
  CHECK(second.written.contains(site.jpeg().output));
  CHECK(second.removed.empty());

  // A copy edited in the output is written again; one no page uses goes.
  write_text(site.paths.out / site.webp().output, "edited");
  auto third = publish_asset_outputs(site.paths, site.config, {{site.webp().output, site.webp()}}, {}, first.written,
                                     site.paths.asset_cache(), real_disk());
  CHECK(third.written.contains(site.webp().output));
  CHECK(read_text(site.paths.out / site.webp().output) == "webp bytes");
  CHECK(third.removed == std::vector<std::string>{site.css().output});
  CHECK_FALSE(fs::exists(site.paths.out / site.css().output));

  CHECK(damaged_asset_tags(site.paths, third.written, real_disk()).empty());
  fs::remove(site.paths.out / site.webp().output);
  CHECK(damaged_asset_tags(site.paths, third.written, real_disk()) == std::vector<std::string>{"asset:acme/img/a.jpg"});
}

TEST_CASE("asset outputs: a variant no output uses leaves the cache, one still used stays", "[build][assets]") {
  AssetSite site;
  std::map<std::string, StoredAssetOutput> before = {
      {"acme/img/a.320w.aaaa.webp", {"static/acme/img/a.jpg", "h1", "aaaa.webp", "s"}},
      {"acme/img/b.320w.aaaa.webp", {"static/acme/img/b.jpg", "h1", "aaaa.webp", "s"}},  // a copy of a
      {"acme/img/a.320w.bbbb.jpg", {"static/acme/img/a.jpg", "h1", "bbbb.jpg", "s"}}};
  forget_unused_variants(site.paths.asset_cache(), before, {},
                         {"acme/img/a.320w.aaaa.webp", "acme/img/a.320w.bbbb.jpg"});
  CHECK(fs::exists(site.paths.asset_cache() / "aaaa.webp"));  // b still shows it
  CHECK_FALSE(fs::exists(site.paths.asset_cache() / "bbbb.jpg"));
}

TEST_CASE("asset outputs: a cache file that is a link out of the cache is refused, never published",
          "[build][assets]") {
  AssetSite site;
  write_text(site.dir.path() / "secret.txt", "not for the web");
  fs::remove(site.paths.asset_cache() / "aaaa.webp");
  fs::create_symlink(site.dir.path() / "secret.txt", site.paths.asset_cache() / "aaaa.webp");
  auto published = publish_asset_outputs(site.paths, site.config, {{site.webp().output, site.webp()}}, {}, {},
                                         site.paths.asset_cache(), real_disk());
  REQUIRE(published.errors.size() == 1);
  CHECK_FALSE(fs::exists(site.paths.out / site.webp().output));
}
