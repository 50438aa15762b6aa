// Reading and encoding raster images with libvips (Debian's libvips, the
// library under sharp): the header of a JPEG, PNG or WebP (its size as shown,
// EXIF orientation applied), and a variant of it at a width in a format.
//
// libvips runs with one worker thread per image and without its operation
// cache: a build encodes many images at once on its own worker threads, each
// image once, so libvips' threads would only compete with them, and its cache
// would keep decoded pixels nobody asks for again. Memory is then bounded by
// the images in flight (one decoded, shrunk-on-load image each).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace isrgen::assets {

enum class ImageFormat { kJpeg, kPng, kWebp, kAvif };

std::string_view format_extension(ImageFormat format);  // "jpg", "png", "webp", "avif"
std::string_view format_mime_type(ImageFormat format);  // "image/webp"
// The format whose format_extension is `extension`; nullopt for others.
std::optional<ImageFormat> format_with_extension(std::string_view extension);
// The format a [images] formats entry names ("webp", "avif"); nullopt for others.
std::optional<ImageFormat> modern_format_named(std::string_view name);
// Whether this libvips can write `format` (AVIF needs libheif with an AV1 encoder).
bool can_encode(ImageFormat format);

struct ImageInfo {
  int width = 0;   // as displayed: EXIF orientation applied
  int height = 0;
  ImageFormat format = ImageFormat::kJpeg;
};

// The size and format of `bytes`, from its header alone. Only JPEG, PNG and
// WebP are read; an image of more than `max_pixels` pixels is refused before
// it is decoded (a decompression bomb). `path` names the file in errors.
Result<ImageInfo> probe_image(std::string_view bytes, int64_t max_pixels, const std::string& path);

struct EncodeSettings {
  int width = 0;  // of the result; the height keeps the aspect ratio
  ImageFormat format = ImageFormat::kWebp;
  int quality = 80;    // 1-100, for JPEG, WebP and AVIF
  bool strip = true;   // drop EXIF, XMP, IPTC and ICC-free metadata (the pixels are rotated first either way)
};

// `bytes` (already probed) shrunk to `settings.width` (never enlarged), EXIF
// orientation applied to the pixels, encoded in `settings.format`.
Result<std::string> encode_image(std::string_view bytes, const EncodeSettings& settings, const std::string& path);

// An image decoded and shrunk once, to be encoded in several formats.
class ShrunkImage {
 public:
  // `bytes` (already probed) shrunk to `width` (never enlarged), EXIF
  // orientation applied, its pixels held in memory.
  static Result<ShrunkImage> make(std::string_view bytes, int width, const std::string& path);
  ShrunkImage(ShrunkImage&&) noexcept;
  ShrunkImage& operator=(ShrunkImage&&) noexcept;
  ~ShrunkImage();
  // The pixels encoded as `settings` says (its width is this image's already).
  Result<std::string> encode(const EncodeSettings& settings, const std::string& path) const;

 private:
  struct Pixels;
  explicit ShrunkImage(std::unique_ptr<Pixels> pixels);
  std::unique_ptr<Pixels> pixels_;
};

// A tiny blurred version of `bytes` (16 pixels wide, WebP) for a placeholder.
Result<std::string> encode_placeholder(std::string_view bytes, const std::string& path);

}  // namespace isrgen::assets
