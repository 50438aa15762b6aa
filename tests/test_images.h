// Images for tests, made and read back with libvips: JPEGs and PNGs of a
// given size (left half red, right half blue), optionally with an EXIF
// orientation and GPS position, and what a file turns out to hold.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace isrgen::testing {

struct TestImageOptions {
  int orientation = 1;  // EXIF orientation (6: to be shown rotated 90° clockwise)
  bool gps = false;     // an EXIF GPS position (latitude reference "N")
  bool xmp = false;     // an XMP packet (APP1)
  bool iptc = false;    // an IPTC block (APP13)
};

std::string make_jpeg(int width, int height, const TestImageOptions& options = {});
std::string make_png(int width, int height);

struct ReadImage {
  bool ok = false;
  std::string loader;  // libvips' loader class: "VipsForeignLoadJpegBuffer", "VipsForeignLoadWebpBuffer", ...
  int width = 0;       // as stored (no orientation applied)
  int height = 0;
  bool has_exif = false;
  bool has_gps = false;
  int orientation = 1;
  std::array<int, 3> top_left{};  // RGB of a pixel near the top left corner
};

ReadImage read_image(std::string_view bytes);

// The decoded pixels of an image, as stored (no orientation applied); empty
// when it does not decode.
std::string decoded_pixels(std::string_view bytes);

}  // namespace isrgen::testing
