#include "assets/image_codec.h"

#include <mutex>

#include <vips/vips.h>

namespace isrgen::assets {
namespace {

void start_vips() {
  static std::once_flag started;
  std::call_once(started, [] {
    if (vips_init("isrgen") != 0) return;  // every call then fails with vips' own message
    vips_concurrency_set(1);  // the build's workers are the parallelism (see the header)
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    // Loaders not fuzzed for hostile input (libvips' own list) are refused;
    // a site's images come from its authors and, for remote images, the web.
    vips_block_untrusted_set(TRUE);
  });
}

std::string vips_message() {
  char* text = vips_error_buffer_copy();
  std::string message = text ? text : "";
  g_free(text);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  size_t newline = message.find('\n');
  if (newline != std::string::npos) message.resize(newline);  // the first cause is the telling one
  return message.empty() ? "libvips failed" : message;
}

// Owns a VipsImage reference.
struct ImageRef {
  VipsImage* image = nullptr;
  ImageRef() = default;
  ImageRef(const ImageRef&) = delete;
  ImageRef& operator=(const ImageRef&) = delete;
  ~ImageRef() {
    if (image) g_object_unref(image);
  }
};

// The loader's class name ("VipsForeignLoadJpegBuffer"; spng's is "VipsForeignLoadPngBuffer" too).
std::optional<ImageFormat> format_of_loader(std::string_view loader) {
  if (loader.starts_with("VipsForeignLoadJpeg")) return ImageFormat::kJpeg;
  if (loader.starts_with("VipsForeignLoadPng")) return ImageFormat::kPng;
  if (loader.starts_with("VipsForeignLoadWebp")) return ImageFormat::kWebp;
  return std::nullopt;
}

// Drops the EXIF, XMP and IPTC fields of `image` in place. Asking the saver
// to strip is not enough: libvips 8.14's WebP saver still writes the EXIF
// block it finds on the image.
void drop_metadata(VipsImage* image) {
  gchar** fields = vips_image_get_fields(image);
  for (gchar** field = fields; *field; ++field) {
    std::string_view name(*field);
    if (name.starts_with("exif-") || name.starts_with("xmp-") || name.starts_with("iptc-") ||
        name == VIPS_META_ORIENTATION)
      vips_image_remove(image, *field);
  }
  g_strfreev(fields);
}

Result<std::string> save(VipsImage* source, ImageFormat format, int quality, bool strip, const std::string& path) {
  ImageRef copy;
  if (vips_copy(source, &copy.image, nullptr) != 0) return make_error(path, 0, "cannot copy the image: " + vips_message());
  VipsImage* image = copy.image;
  if (strip) drop_metadata(image);
  void* buffer = nullptr;
  size_t length = 0;
  int failed = 0;
  const gboolean strip_flag = strip ? TRUE : FALSE;
  switch (format) {
    case ImageFormat::kJpeg:
      failed = vips_jpegsave_buffer(image, &buffer, &length, "Q", quality, "strip", strip_flag,
                                    "optimize_coding", TRUE, "interlace", TRUE, nullptr);
      break;
    case ImageFormat::kPng:
      failed = vips_pngsave_buffer(image, &buffer, &length, "strip", strip_flag, nullptr);
      break;
    case ImageFormat::kWebp:
      failed = vips_webpsave_buffer(image, &buffer, &length, "Q", quality, "strip", strip_flag, nullptr);
      break;
    case ImageFormat::kAvif:
      failed = vips_heifsave_buffer(image, &buffer, &length, "Q", quality, "strip", strip_flag, "compression",
                                    VIPS_FOREIGN_HEIF_COMPRESSION_AV1, nullptr);
      break;
  }
  if (failed) return make_error(path, 0, "cannot encode as " + std::string(format_extension(format)) + ": " + vips_message());
  std::string bytes(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return bytes;
}

}  // namespace

std::string_view format_extension(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg: return "jpg";
    case ImageFormat::kPng: return "png";
    case ImageFormat::kWebp: return "webp";
    case ImageFormat::kAvif: return "avif";
  }
  return "";
}

std::string_view format_mime_type(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg: return "image/jpeg";
    case ImageFormat::kPng: return "image/png";
    case ImageFormat::kWebp: return "image/webp";
    case ImageFormat::kAvif: return "image/avif";
  }
  return "";
}

std::optional<ImageFormat> format_with_extension(std::string_view extension) {
  for (ImageFormat format : {ImageFormat::kJpeg, ImageFormat::kPng, ImageFormat::kWebp, ImageFormat::kAvif})
    if (format_extension(format) == extension) return format;
  return std::nullopt;
}

std::optional<ImageFormat> modern_format_named(std::string_view name) {
  if (name == "webp") return ImageFormat::kWebp;
  if (name == "avif") return ImageFormat::kAvif;
  return std::nullopt;
}

bool can_encode(ImageFormat format) {
  start_vips();
  if (format != ImageFormat::kAvif) return true;
  return vips_type_find("VipsOperation", "heifsave_buffer") != 0;
}

Result<ImageInfo> probe_image(std::string_view bytes, int64_t max_pixels, const std::string& path) {
  start_vips();
  const char* loader = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
  std::optional<ImageFormat> format = loader ? format_of_loader(loader) : std::nullopt;
  if (!format) {
    vips_error_clear();
    return make_error(path, 0, "not a JPEG, PNG or WebP image (or a damaged one): only those get responsive variants");
  }
  ImageRef header;
  // Reads the header only: the pixels are decoded when something asks for them.
  header.image = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access", VIPS_ACCESS_SEQUENTIAL, nullptr);
  if (!header.image) return make_error(path, 0, "cannot read the image: " + vips_message());
  ImageInfo info;
  info.format = *format;
  info.width = vips_image_get_width(header.image);
  info.height = vips_image_get_height(header.image);
  if (static_cast<int64_t>(info.width) * info.height > max_pixels)
    return make_error(path, 0, std::to_string(info.width) + "x" + std::to_string(info.height) + " pixels is over the limit of " +
                                   std::to_string(max_pixels) + " (limits.image_pixels in content/site.toml)");
  if (vips_image_get_orientation_swap(header.image)) std::swap(info.width, info.height);
  return info;
}

Result<std::string> encode_image(std::string_view bytes, const EncodeSettings& settings, const std::string& path) {
  start_vips();
  ImageRef shrunk;
  // Shrink-on-load (JPEG and WebP decode at a fraction of their size), the
  // EXIF orientation applied; "down" never enlarges.
  if (vips_thumbnail_buffer(const_cast<char*>(bytes.data()), bytes.size(), &shrunk.image, settings.width, "height",
                            VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, nullptr) != 0)
    return make_error(path, 0, "cannot resize the image: " + vips_message());
  return save(shrunk.image, settings.format, settings.quality, settings.strip, path);
}

struct ShrunkImage::Pixels {
  ImageRef image;
};

ShrunkImage::ShrunkImage(std::unique_ptr<Pixels> pixels) : pixels_(std::move(pixels)) {}
ShrunkImage::ShrunkImage(ShrunkImage&&) noexcept = default;
ShrunkImage& ShrunkImage::operator=(ShrunkImage&&) noexcept = default;
ShrunkImage::~ShrunkImage() = default;

Result<ShrunkImage> ShrunkImage::make(std::string_view bytes, int width, const std::string& path) {
  start_vips();
  ImageRef shrunk;
  if (vips_thumbnail_buffer(const_cast<char*>(bytes.data()), bytes.size(), &shrunk.image, width, "height",
                            VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, nullptr) != 0)
    return make_error(path, 0, "cannot resize the image: " + vips_message());
  // Decoded once: each format's encoding then reads these pixels instead of
  // decoding the source again.
  auto pixels = std::make_unique<Pixels>();
  pixels->image.image = vips_image_copy_memory(shrunk.image);
  if (!pixels->image.image) return make_error(path, 0, "cannot decode the image: " + vips_message());
  return ShrunkImage(std::move(pixels));
}

Result<std::string> ShrunkImage::encode(const EncodeSettings& settings, const std::string& path) const {
  return save(pixels_->image.image, settings.format, settings.quality, settings.strip, path);
}

Result<std::string> encode_placeholder(std::string_view bytes, const std::string& path) {
  start_vips();
  ImageRef shrunk;
  if (vips_thumbnail_buffer(const_cast<char*>(bytes.data()), bytes.size(), &shrunk.image, 16, "height", VIPS_MAX_COORD,
                            "size", VIPS_SIZE_DOWN, nullptr) != 0)
    return make_error(path, 0, "cannot resize the image: " + vips_message());
  ImageRef blurred;
  if (vips_gaussblur(shrunk.image, &blurred.image, 1.0, nullptr) != 0)
    return make_error(path, 0, "cannot blur the placeholder: " + vips_message());
  return save(blurred.image, ImageFormat::kWebp, 40, true, path);
}

}  // namespace isrgen::assets
