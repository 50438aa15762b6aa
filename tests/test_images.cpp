#include "test_images.h"

#include <cstdint>
#include <vector>

#include <vips/vips.h>

namespace isrgen::testing {
namespace {

void start() {
  static bool started = vips_init("isrgen-tests") == 0;
  (void)started;
}

void put16(std::string& out, uint16_t value) {
  out.push_back(static_cast<char>(value & 0xff));
  out.push_back(static_cast<char>(value >> 8));
}
void put32(std::string& out, uint32_t value) {
  put16(out, static_cast<uint16_t>(value & 0xffff));
  put16(out, static_cast<uint16_t>(value >> 16));
}

// A little-endian TIFF structure as JPEG's APP1 carries it: IFD0 with the
// orientation and, when asked, a GPS IFD with GPSVersionID and GPSLatitudeRef.
std::string exif_blob(const TestImageOptions& options) {
  std::string tiff = "II*";
  tiff.push_back('\0');
  put32(tiff, 8);
  const uint16_t entries = options.gps ? 2 : 1;
  put16(tiff, entries);
  put16(tiff, 0x0112), put16(tiff, 3), put32(tiff, 1), put16(tiff, static_cast<uint16_t>(options.orientation)),
      put16(tiff, 0);
  const uint32_t gps_offset = 8 + 2 + entries * 12 + 4;
  if (options.gps) put16(tiff, 0x8825), put16(tiff, 4), put32(tiff, 1), put32(tiff, gps_offset);
  put32(tiff, 0);
  if (options.gps) {
    put16(tiff, 2);
    put16(tiff, 0x0000), put16(tiff, 1), put32(tiff, 4), tiff += std::string("\x02\x03\x00\x00", 4);
    put16(tiff, 0x0001), put16(tiff, 2), put32(tiff, 2), tiff += std::string("N\0\0\0", 4);
    put32(tiff, 0);
  }
  return std::string("Exif\0\0", 6) + tiff;
}

VipsImage* make_pixels(int width, int height) {
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      unsigned char* p = &pixels[(static_cast<size_t>(y) * width + x) * 3];
      bool left = x < width / 2;
      p[0] = left ? 255 : 0;
      p[1] = 0;
      p[2] = left ? 0 : 255;
    }
  return vips_image_new_from_memory_copy(pixels.data(), pixels.size(), width, height, 3, VIPS_FORMAT_UCHAR);
}

std::string take(void* buffer, size_t length) {
  std::string bytes(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return bytes;
}

}  // namespace

std::string make_jpeg(int width, int height, const TestImageOptions& options) {
  start();
  VipsImage* image = make_pixels(width, height);
  if (options.orientation != 1 || options.gps) {
    std::string blob = exif_blob(options);
    vips_image_set_blob_copy(image, VIPS_META_EXIF_NAME, blob.data(), blob.size());
    vips_image_set_int(image, VIPS_META_ORIENTATION, options.orientation);
  }
  if (options.xmp) {
    const std::string xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF/></x:xmpmeta>";
    vips_image_set_blob_copy(image, VIPS_META_XMP_NAME, xmp.data(), xmp.size());
  }
  if (options.iptc) {  // a Photoshop resource block holding one IPTC record (a byline)
    static const char kIptc[] = "Photoshop 3.0\0" "8BIM\x04\x04\0\0\0\0\0\x08\x1c\x02\x50\0\x03" "Ada";
    vips_image_set_blob_copy(image, VIPS_META_IPTC_NAME, kIptc, sizeof kIptc - 1);
  }
  void* buffer = nullptr;
  size_t length = 0;
  int failed = vips_jpegsave_buffer(image, &buffer, &length, "Q", 90, "strip", FALSE, nullptr);
  g_object_unref(image);
  return failed ? std::string() : take(buffer, length);
}

std::string make_png(int width, int height) {
  start();
  VipsImage* image = make_pixels(width, height);
  void* buffer = nullptr;
  size_t length = 0;
  int failed = vips_pngsave_buffer(image, &buffer, &length, nullptr);
  g_object_unref(image);
  return failed ? std::string() : take(buffer, length);
}

ReadImage read_image(std::string_view bytes) {
  start();
  ReadImage read;
  const char* loader = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
  VipsImage* image = loader ? vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr) : nullptr;
  if (!image) {
    vips_error_clear();
    return read;
  }
  read.ok = true;
  read.loader = loader;
  read.width = vips_image_get_width(image);
  read.height = vips_image_get_height(image);
  read.has_exif = vips_image_get_typeof(image, VIPS_META_EXIF_NAME) != 0;
  read.has_gps = vips_image_get_typeof(image, "exif-ifd3-GPSLatitudeRef") != 0 ||
                 vips_image_get_typeof(image, "exif-ifd3-GPSVersionID") != 0;
  read.orientation = vips_image_get_orientation(image);
  double* values = nullptr;
  int count = 0;
  if (vips_getpoint(image, &values, &count, 1, 1, nullptr) == 0) {
    for (int i = 0; i < 3 && i < count; ++i) read.top_left[i] = static_cast<int>(values[i] + 0.5);
    g_free(values);
  }
  g_object_unref(image);
  return read;
}

std::string decoded_pixels(std::string_view bytes) {
  start();
  VipsImage* image = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr);
  if (!image) {
    vips_error_clear();
    return "";
  }
  size_t length = 0;
  void* memory = vips_image_write_to_memory(image, &length);
  g_object_unref(image);
  return memory ? take(memory, length) : std::string();
}

}  // namespace isrgen::testing
