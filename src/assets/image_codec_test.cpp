#include "assets/image_codec.h"

#include <catch2/catch.hpp>

#include "test_images.h"

using namespace isrgen;
using namespace isrgen::assets;
using isrgen::testing::make_jpeg;
using isrgen::testing::make_png;
using isrgen::testing::read_image;

TEST_CASE("image codec: probes the size and format from the header") {
  auto jpeg = probe_image(make_jpeg(120, 80), 1'000'000, "static/acme/a.jpg");
  REQUIRE(jpeg.ok());
  CHECK(jpeg.value().width == 120);
  CHECK(jpeg.value().height == 80);
  CHECK(jpeg.value().format == ImageFormat::kJpeg);
  auto png = probe_image(make_png(30, 20), 1'000'000, "static/acme/a.png");
  REQUIRE(png.ok());
  CHECK(png.value().format == ImageFormat::kPng);
}

TEST_CASE("image codec: the size is the displayed one when EXIF rotates the image") {
  auto rotated = probe_image(make_jpeg(120, 80, {.orientation = 6}), 1'000'000, "static/acme/a.jpg");
  REQUIRE(rotated.ok());
  CHECK(rotated.value().width == 80);
  CHECK(rotated.value().height == 120);
}

TEST_CASE("image codec: refuses what is not an image and images past the pixel limit") {
  auto text = probe_image("GIF89a not really", 1'000'000, "static/acme/a.gif");
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().to_string().starts_with("static/acme/a.gif: not a JPEG, PNG or WebP image"));
  auto bomb = probe_image(make_jpeg(200, 100), 19'999, "static/acme/big.jpg");
  REQUIRE_FALSE(bomb.ok());
  CHECK(bomb.error().message.find("200x100 pixels is over the limit of 19999 (limits.image_pixels") !=
        std::string::npos);
}

TEST_CASE("image codec: encodes a variant at a width in a format, never enlarging") {
  std::string source = make_jpeg(200, 100);
  auto webp = encode_image(source, {.width = 64, .format = ImageFormat::kWebp, .quality = 80, .strip = true}, "a.jpg");
  REQUIRE(webp.ok());
  auto read = read_image(webp.value());
  CHECK(read.loader == "VipsForeignLoadWebpBuffer");
  CHECK(read.width == 64);
  CHECK(read.height == 32);
  auto jpeg = encode_image(source, {.width = 500, .format = ImageFormat::kJpeg}, "a.jpg");
  REQUIRE(jpeg.ok());
  auto big = read_image(jpeg.value());
  CHECK(big.loader == "VipsForeignLoadJpegBuffer");
  CHECK(big.width == 200);  // not enlarged
  auto png = encode_image(make_png(40, 20), {.width = 20, .format = ImageFormat::kPng}, "a.png");
  REQUIRE(png.ok());
  CHECK(read_image(png.value()).loader == "VipsForeignLoadPngBuffer");
}

TEST_CASE("image codec: a variant carries no GPS position and has its pixels rotated") {
  std::string source = make_jpeg(80, 40, {.orientation = 6, .gps = true});
  auto original = read_image(source);
  REQUIRE(original.has_gps);  // the test image does carry one
  REQUIRE(original.orientation == 6);
  for (ImageFormat format : {ImageFormat::kJpeg, ImageFormat::kWebp}) {
    auto variant = encode_image(source, {.width = 40, .format = format, .quality = 90, .strip = true}, "a.jpg");
    REQUIRE(variant.ok());
    auto read = read_image(variant.value());
    INFO(read.loader);
    CHECK_FALSE(read.has_gps);
    // libvips' WebP saver writes a minimal EXIF block of its own (resolution only).
    if (format == ImageFormat::kJpeg) CHECK_FALSE(read.has_exif);
    CHECK(read.orientation == 1);
    // Stored 80x40 with the red half on the left; turned 90° clockwise it is
    // 40x80 with the red half on top.
    CHECK(read.width == 40);
    CHECK(read.height == 80);
    CHECK(read.top_left[0] > 200);
    CHECK(read.top_left[2] < 60);
  }
}

TEST_CASE("image codec: a placeholder is a tiny WebP") {
  auto tiny = encode_placeholder(make_jpeg(300, 150), "a.jpg");
  REQUIRE(tiny.ok());
  auto read = read_image(tiny.value());
  CHECK(read.loader == "VipsForeignLoadWebpBuffer");
  CHECK(read.width == 16);
  CHECK(tiny.value().size() < 400);
}

TEST_CASE("image codec: AVIF where libvips can write it") {
  if (!can_encode(ImageFormat::kAvif)) {
    WARN("skipped: this libvips writes no AVIF");
    return;
  }
  auto avif = encode_image(make_jpeg(120, 60), {.width = 60, .format = ImageFormat::kAvif, .quality = 60}, "a.jpg");
  REQUIRE(avif.ok());
  auto read = read_image(avif.value());
  CHECK(read.loader == "VipsForeignLoadHeifBuffer");
  CHECK(read.width == 60);
  CHECK(format_with_extension("avif") == ImageFormat::kAvif);
  CHECK(modern_format_named("avif") == ImageFormat::kAvif);
  CHECK_FALSE(modern_format_named("jpeg").has_value());
}
