#include "assets/asset_rewriter.h"

#include <catch2/catch.hpp>

#include "test_images.h"
#include "test_support.h"
#include "util/hash.h"

using namespace isrgen;
using namespace isrgen::assets;
using isrgen::testing::make_jpeg;
using isrgen::testing::read_image;
using isrgen::testing::read_text;

namespace {

// A site of in-memory static files and a pipeline over them, with its cache in a scratch folder.
struct Fixture {
  isrgen::testing::ScratchDir scratch;
  SiteConfig config;
  std::map<std::string, std::string> files;  // site path -> bytes
  std::unique_ptr<AssetPipeline> pipeline;

  Fixture() {
    config.images.widths = {100, 200, 400};
    files["static/acme/img/a.jpg"] = make_jpeg(300, 150);
    files["static/acme/img/b.png"] = isrgen::testing::make_png(50, 40);
    files["static/acme/css/site.css"] = "body{color:red}";
    files["static/acme/js/app.js"] = "console.log(1)";
    files["static/acme/img/logo.svg"] = "<svg/>";
    reset();
  }
  void reset() {
    pipeline = std::make_unique<AssetPipeline>(
        config, scratch / "assets",
        [this](const std::string& path) -> std::optional<std::string> {
          auto found = files.find(path);
          if (found == files.end()) return std::nullopt;
          return content_hash(found->second);
        },
        [this](const std::string& path, int64_t, const std::string&) -> Result<std::string> { return files.at(path); },
        std::map<std::string, ImageInfo>{});
  }
  PageAssets rewrite(std::string_view html, std::string page_url = "/summer/") {
    return rewrite_asset_references(html, {"acme", "https://acme.example", page_url, "content/pages/acme/summer.md"},
                                    *pipeline, config.images);
  }
};

std::string key8(const std::string& name) { return name.substr(0, 8); }

}  // namespace

TEST_CASE("asset rewriter: an image becomes a picture with WebP and JPEG variants, never upscaled") {
  Fixture site;
  auto page = site.rewrite("<p>x</p><img src=\"/img/a.jpg\" alt=\"A &amp; B\" class=hero><p>y</p>");
  const std::string hash = content_hash(site.files["static/acme/img/a.jpg"]);
  auto webp = [&](int w) {
    return "/img/a." + std::to_string(w) + "w." + key8(variant_cache_name(hash, w, ImageFormat::kWebp, 80, true)) + ".webp";
  };
  auto jpg = [&](int w) {
    return "/img/a." + std::to_string(w) + "w." + key8(variant_cache_name(hash, w, ImageFormat::kJpeg, 80, true)) + ".jpg";
  };
  // 300 pixels wide: 100 and 200, then its own 300 in place of 400.
  CHECK(page.html == "<p>x</p><picture><source type=\"image/webp\" srcset=\"" + webp(100) + " 100w, " + webp(200) +
                         " 200w, " + webp(300) + " 300w\" sizes=\"100vw\"><img src=\"" + jpg(300) + "\" srcset=\"" +
                         jpg(100) + " 100w, " + jpg(200) + " 200w, " + jpg(300) +
                         " 300w\" sizes=\"100vw\" width=\"300\" height=\"150\" alt=\"A &amp; B\" class=hero "
                         "loading=\"lazy\" decoding=\"async\"></picture><p>y</p>");
  CHECK(page.tags == std::vector<std::string>{"asset:acme/img/a.jpg"});
  REQUIRE(page.outputs.size() == 6);
  CHECK(page.outputs[0].output == "acme" + jpg(100));
  CHECK(page.outputs[0].source == "static/acme/img/a.jpg");
  CHECK(page.warnings.empty());
  CHECK(site.pipeline->counts().encoded == 6);
  CHECK(site.pipeline->counts().probed == 1);
  // The cached bytes are the variants, read back with libvips.
  auto variant = read_image(read_text(site.scratch / "assets" / variant_cache_name(hash, 200, ImageFormat::kWebp, 80, true)));
  CHECK(variant.loader == "VipsForeignLoadWebpBuffer");
  CHECK(variant.width == 200);
  CHECK(variant.height == 100);

  SECTION("a second build finds every variant in the cache and knows the size") {
    auto sizes = site.pipeline->new_sizes();
    site.pipeline = std::make_unique<AssetPipeline>(
        site.config, site.scratch / "assets",
        [&](const std::string& path) -> std::optional<std::string> { return content_hash(site.files.at(path)); },
        [&](const std::string&, int64_t, const std::string&) -> Result<std::string> {
          FAIL("read a source whose variants are cached");
          return std::string();
        },
        sizes);
    auto again = site.rewrite("<img src=\"/img/a.jpg\" alt=\"A &amp; B\" class=hero>");
    CHECK(site.pipeline->counts().encoded == 0);
    CHECK(site.pipeline->counts().reused == 6);
    CHECK(site.pipeline->counts().probed == 0);
    CHECK(again.outputs == page.outputs);
  }
}

TEST_CASE("asset rewriter: sizes, priority images, author dimensions, placeholders and opting out") {
  Fixture site;
  site.config.images.formats.clear();
  site.reset();
  auto eager = site.rewrite("<IMG SRC='img/../../img/a.jpg' loading=eager sizes=\"(min-width: 40em) 50vw, 100vw\"/>");
  CHECK(eager.html.starts_with("<img src=\"/img/a.300w."));
  CHECK(eager.html.find("sizes=\"(min-width: 40em) 50vw, 100vw\"") != std::string::npos);
  CHECK(eager.html.find("loading=eager") != std::string::npos);
  CHECK(eager.html.find("lazy") == std::string::npos);
  CHECK(eager.html.find("decoding") == std::string::npos);
  CHECK(eager.html.find("<picture>") == std::string::npos);  // no modern formats configured
  CHECK(eager.html.ends_with(" />"));
  auto high = site.rewrite("<img src=/img/a.jpg fetchpriority=high width=150>");
  CHECK(high.html.find("loading") == std::string::npos);
  CHECK(high.html.find(" height=\"75\" ") != std::string::npos);
  CHECK(high.html.find("width=\"300\"") == std::string::npos);
  auto blurred = site.rewrite("<img src=/img/a.jpg data-isrgen-placeholder style=\"border:0\">");
  CHECK(blurred.html.find("style=\"background-size:cover;background-image:url(data:image/webp;base64,") != std::string::npos);
  CHECK(blurred.html.find(";border:0\"") != std::string::npos);
  CHECK(blurred.html.find("data-isrgen-placeholder") == std::string::npos);
  const std::string kept = "<img src=/img/a.jpg data-isrgen-skip><img src=/img/a.jpg srcset=\"/x.jpg 1x\">";
  CHECK(site.rewrite(kept).html == kept);
}

TEST_CASE("asset rewriter: stylesheets and scripts get fingerprinted URLs, the rest of the tag as written") {
  Fixture site;
  const std::string css_hash = content_hash(site.files["static/acme/css/site.css"]).substr(0, 8);
  const std::string js_hash = content_hash(site.files["static/acme/js/app.js"]).substr(0, 8);
  auto page = site.rewrite("<link rel=\"preload stylesheet\" href = '/css/site.css' media=all>"
                           "<script defer src=https://acme.example/js/app.js></script><link rel=icon href=/css/site.css>");
  CHECK(page.html == "<link rel=\"preload stylesheet\" href=\"/css/site." + css_hash +
                         ".css\" media=all><script defer src=\"https://acme.example/js/app." + js_hash +
                         ".js\"></script><link rel=icon href=/css/site.css>");
  REQUIRE(page.outputs.size() == 2);
  CHECK(page.outputs[0].output == "acme/css/site." + css_hash + ".css");
  CHECK(page.outputs[0].cache_file.empty());
  CHECK(page.tags == std::vector<std::string>{"asset:acme/css/site.css", "asset:acme/js/app.js"});
}

TEST_CASE("asset rewriter: other hosts, SVG, missing files and text that is not a tag stay as written") {
  Fixture site;
  const std::string html =
      "<img src=https://cdn.example/a.jpg><img src=/img/logo.svg><img src=\"data:image/png;base64,AA\">"
      "<!-- <img src=/img/a.jpg> --><script>document.write('<img src=/img/a.jpg>')</script>"
      "<textarea><img src=/img/a.jpg></textarea><img src=/img/gone.jpg><link rel=stylesheet href=/css/gone.css>";
  auto page = site.rewrite(html);
  CHECK(page.html == html);
  CHECK(page.tags == std::vector<std::string>{"asset:acme/css/gone.css", "asset:acme/img/gone.jpg"});
  REQUIRE(page.warnings.size() == 2);
  CHECK(page.warnings[0] ==
        "content/pages/acme/summer.md: <img src=/img/gone.jpg>: static/acme/img/gone.jpg does not exist (left as written)");
  CHECK(site.pipeline->counts().encoded == 0);
}

TEST_CASE("asset rewriter: an image that cannot be read is a warning, and the tag stays") {
  Fixture site;
  site.files["static/acme/img/broken.jpg"] = "not a jpeg";
  site.reset();
  auto page = site.rewrite("<img src=/img/broken.jpg>");
  CHECK(page.html == "<img src=/img/broken.jpg>");
  REQUIRE(page.warnings.size() == 1);
  CHECK(page.warnings[0].find("static/acme/img/broken.jpg: not a JPEG, PNG or WebP image") != std::string::npos);
}

TEST_CASE("asset rewriter: one <source> per modern format, in the order configured") {
  Fixture site;
  site.config.images.formats = {"avif", "webp"};
  site.config.images.widths = {100};
  site.reset();
  auto page = site.rewrite("<img src=/img/b.png>");  // 50 pixels wide: its own width only
  if (!can_encode(ImageFormat::kAvif)) return;
  const size_t avif = page.html.find("<source type=\"image/avif\" srcset=\"/img/b.50w.");
  const size_t webp = page.html.find("<source type=\"image/webp\" srcset=\"/img/b.50w.");
  REQUIRE(avif != std::string::npos);
  REQUIRE(webp != std::string::npos);
  CHECK(avif < webp);
  CHECK(page.html.find("<img src=\"/img/b.50w.") != std::string::npos);
  CHECK(page.html.find(".png\" srcset=") != std::string::npos);  // the fallback in the image's own format
  CHECK(page.outputs.size() == 3);
}
