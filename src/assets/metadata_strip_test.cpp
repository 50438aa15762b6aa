// The lossless strip of a JPEG's or a PNG's metadata: what is dropped and
// kept (read back with libvips and by scanning the segments), pixels bit for
// bit the same, the orientation kept, and truncated or garbage input refused
// safely.
#include "assets/metadata_strip.h"

#include <catch2/catch.hpp>

#include <random>

#include <zlib.h>
#include <vector>

#include "test_images.h"

using namespace isrgen::assets;
using isrgen::testing::decoded_pixels;
using isrgen::testing::make_jpeg;
using isrgen::testing::read_image;
using isrgen::testing::make_png;

namespace {

// The markers of the segments before the first scan, found independently of
// the code under test (no fill bytes: libvips writes none).
std::vector<int> markers_before_scan(const std::string& jpeg) {
  std::vector<int> markers;
  size_t at = 2;
  while (at + 4 <= jpeg.size() && static_cast<unsigned char>(jpeg[at]) == 0xFF) {
    int marker = static_cast<unsigned char>(jpeg[at + 1]);
    if (marker == 0xDA) break;
    markers.push_back(marker);
    at += 2 + (static_cast<unsigned char>(jpeg[at + 2]) << 8 | static_cast<unsigned char>(jpeg[at + 3]));
  }
  return markers;
}

// `jpeg` with a segment put right after its start-of-image marker.
std::string with_segment(const std::string& jpeg, char marker, std::string_view payload) {
  const size_t length = payload.size() + 2;
  std::string result = jpeg.substr(0, 2);
  result += '\xFF';
  result += marker;
  result += static_cast<char>(length >> 8);
  result += static_cast<char>(length & 0xFF);
  result.append(payload);
  result.append(jpeg, 2, std::string::npos);
  return result;
}

bool has(const std::vector<int>& markers, int marker) {
  return std::find(markers.begin(), markers.end(), marker) != markers.end();
}

}  // namespace

TEST_CASE("jpeg metadata: EXIF with GPS, XMP and IPTC go, while JFIF, ICC and the pixels stay") {
  // libvips saves neither JFIF beside EXIF nor a profile it cannot parse: both are put in as an editor writes them.
  static const char kIcc[] = "ICC_PROFILE\0\x01\x01" "profile bytes";
  static const char kJfif[] = "JFIF\0\x01\x02\0\0\x01\0\x01\0\0";
  const std::string saved = make_jpeg(64, 48, {.gps = true, .xmp = true, .iptc = true});
  const std::string shot = with_segment(with_segment(saved, '\xE2', {kIcc, sizeof kIcc - 1}), '\xE0',
                                        {kJfif, sizeof kJfif - 1});
  const std::vector<int> before = markers_before_scan(shot);
  REQUIRE(before.front() == 0xE0);
  REQUIRE(has(before, 0xE1));
  REQUIRE(has(before, 0xED));
  REQUIRE(has(before, 0xE2));
  REQUIRE(read_image(shot).has_gps);

  auto stripped = strip_jpeg_metadata(shot);
  REQUIRE(stripped);
  const std::vector<int> after = markers_before_scan(*stripped);
  CHECK_FALSE(has(after, 0xE1));
  CHECK_FALSE(has(after, 0xED));
  CHECK(has(after, 0xE2));
  CHECK(stripped->find("profile bytes") != std::string::npos);
  CHECK(after.front() == 0xE0);  // JFIF stays first
  CHECK(stripped->find("Ada") == std::string::npos);
  CHECK(stripped->find("xmpmeta") == std::string::npos);
  auto read = read_image(*stripped);
  REQUIRE(read.ok);
  CHECK_FALSE(read.has_exif);
  CHECK_FALSE(read.has_gps);
  CHECK(read.orientation == 1);
  const std::string pixels = decoded_pixels(shot);
  REQUIRE(!pixels.empty());
  CHECK(decoded_pixels(*stripped) == pixels);
}

TEST_CASE("jpeg metadata: an orientation other than 1 is kept in a minimal EXIF, without the GPS") {
  const std::string shot = make_jpeg(60, 40, {.orientation = 6, .gps = true});
  CHECK(jpeg_orientation(shot) == 6);
  auto stripped = strip_jpeg_metadata(shot);
  REQUIRE(stripped);
  CHECK(stripped->size() < shot.size());
  CHECK(jpeg_orientation(*stripped) == 6);
  auto read = read_image(*stripped);
  REQUIRE(read.ok);
  CHECK(read.orientation == 6);
  CHECK_FALSE(read.has_gps);
  CHECK(decoded_pixels(*stripped) == decoded_pixels(shot));
  // Stripping again changes nothing.
  CHECK(strip_jpeg_metadata(*stripped) == *stripped);
}

TEST_CASE("jpeg metadata: a JPEG without metadata comes back byte for byte") {
  // libvips writes an EXIF block into every JPEG it saves; stripped once, none is left.
  const std::string plain = strip_jpeg_metadata(make_jpeg(32, 32)).value();
  REQUIRE_FALSE(has(markers_before_scan(plain), 0xE1));
  CHECK(strip_jpeg_metadata(plain) == plain);
  CHECK(jpeg_orientation(plain) == 1);
}

TEST_CASE("jpeg metadata: truncated, lying and garbage input is refused or bounded, never read past its end") {
  const std::string shot = make_jpeg(40, 30, {.orientation = 3, .gps = true, .xmp = true});
  // Every truncation: either refused, or (cut inside the scan) the headers
  // rewritten and the rest carried as it is.
  for (size_t length = 0; length < shot.size(); ++length) {
    const std::string cut = shot.substr(0, length);
    auto stripped = strip_jpeg_metadata(cut);
    if (stripped) CHECK(stripped->find("N\0\0\0", 0, 4) == std::string::npos);
    (void)jpeg_orientation(cut);
  }
  CHECK_FALSE(strip_jpeg_metadata(""));
  CHECK_FALSE(strip_jpeg_metadata("GIF89a"));
  CHECK_FALSE(strip_jpeg_metadata(std::string("\xFF\xD8\xFF\xE1\xFF\xFF", 6)));  // a length past the end
  CHECK_FALSE(strip_jpeg_metadata(std::string("\xFF\xD8\xFF\xE0\x00\x01", 6)));  // a length below its own
  CHECK_FALSE(strip_jpeg_metadata(std::string("\xFF\xD8\xFF\xFF\xFF", 5)));      // fill bytes to the end
  CHECK_FALSE(strip_jpeg_metadata(std::string("\xFF\xD8\x00\x00", 4)));          // no marker after SOI
  // An EXIF whose IFD and entry count point past the block: orientation 1, no entry read.
  std::string lying("\xFF\xD8\xFF\xE1\x00\x12" "Exif\0\0" "MM\0*\x7F\xFF\xFF\xF0" "\xFF\xFF" "\xFF\xD9", 24);
  CHECK(jpeg_orientation(lying) == 1);
  lying.replace(16, 4, std::string("\0\0\0\x08", 4));
  CHECK(jpeg_orientation(lying) == 1);
  CHECK(strip_jpeg_metadata(lying) == std::string("\xFF\xD8\xFF\xD9", 4));

  std::mt19937 random(23);
  for (int round = 0; round < 2000; ++round) {
    std::string garbage(random() % 64, '\0');
    for (char& c : garbage) c = static_cast<char>(random() % 4 == 0 ? 0xFF : random());
    garbage.insert(0, "\xFF\xD8");
    (void)strip_jpeg_metadata(garbage);
    (void)jpeg_orientation(garbage);
  }
  // A flipped byte anywhere in a real file.
  for (size_t at = 0; at < std::min<size_t>(shot.size(), 400); ++at) {
    std::string flipped = shot;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x5A);
    (void)strip_jpeg_metadata(flipped);
  }
}

namespace {

// A PNG chunk with its CRC, made with zlib independently of the code under test.
std::string chunk(const std::string& type, const std::string& data) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((data.size() >> shift) & 0xFF);
  const std::string typed = type + data;
  const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size()));
  out += typed;
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((crc >> shift) & 0xFF);
  return out;
}

// A PNG from libvips with text, XMP and an EXIF block (orientation 6, then a
// position) put in after its IHDR chunk, as a camera app writes them.
std::string png_with_metadata() {
  const std::string saved = isrgen::testing::make_png(30, 20);
  const size_t after_header = 8 + 25;  // the signature and IHDR (13 bytes of data)
  const std::string tiff("II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0GPS 52.52N", 36);
  return saved.substr(0, after_header) + chunk("tEXt", std::string("Comment\0shot at 52.52N", 22)) +
         chunk("iTXt", std::string("XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>", 34)) + chunk("eXIf", tiff) +
         saved.substr(after_header);
}

}  // namespace

TEST_CASE("png metadata: text, XMP and EXIF chunks go, the orientation and the pixels stay") {
  const std::string shot = png_with_metadata();
  REQUIRE(read_image(shot).ok);
  auto stripped = strip_png_metadata(shot);
  REQUIRE(stripped);
  CHECK(stripped->find("52.52N") == std::string::npos);
  CHECK(stripped->find("tEXt") == std::string::npos);
  CHECK(stripped->find("xmpmeta") == std::string::npos);
  CHECK(stripped->find(chunk("eXIf", std::string("MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0", 26))) !=
        std::string::npos);
  REQUIRE(read_image(*stripped).ok);
  CHECK(decoded_pixels(*stripped) == decoded_pixels(shot));
  CHECK(strip_png_metadata(*stripped) == *stripped);
  const std::string plain = isrgen::testing::make_png(10, 10);
  if (plain.find("tEXt") == std::string::npos && plain.find("eXIf") == std::string::npos)
    CHECK(strip_png_metadata(plain) == plain);
  CHECK_FALSE(strip_png_metadata(make_jpeg(8, 8)));
  CHECK_FALSE(strip_jpeg_metadata(shot));
}

TEST_CASE("png metadata: truncated and garbage input is refused, never read past its end") {
  const std::string shot = png_with_metadata();
  for (size_t length = 0; length < shot.size(); ++length) CHECK_FALSE(strip_png_metadata(shot.substr(0, length)));
  std::string huge = shot;
  huge.replace(8, 4, "\x7F\xFF\xFF\xFF");  // IHDR's length past the end
  CHECK_FALSE(strip_png_metadata(huge));
  huge.replace(8, 4, "\xFF\xFF\xFF\xF0");  // past the largest length PNG allows
  CHECK_FALSE(strip_png_metadata(huge));
  std::mt19937 random(17);
  for (int round = 0; round < 2000; ++round) {
    std::string flipped = shot;
    for (int k = 0; k < 3; ++k) flipped[8 + random() % (flipped.size() - 8)] = static_cast<char>(random());
    (void)strip_png_metadata(flipped);
  }
}
