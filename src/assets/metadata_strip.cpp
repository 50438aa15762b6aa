#include "assets/metadata_strip.h"

#include <cstdint>

#include <zlib.h>

namespace isrgen::assets {
namespace {

constexpr unsigned char kMarker = 0xFF;
constexpr unsigned char kStartOfImage = 0xD8;
constexpr unsigned char kStartOfScan = 0xDA;
constexpr unsigned char kEndOfImage = 0xD9;
constexpr unsigned char kExifOrXmp = 0xE1;    // APP1
constexpr unsigned char kIptc = 0xED;         // APP13 (Photoshop image resources)
constexpr std::string_view kExifHeader{"Exif\0\0", 6};
constexpr uint16_t kOrientationTag = 0x0112;
constexpr uint16_t kShortType = 3;

unsigned byte_at(std::string_view bytes, size_t at) { return static_cast<unsigned char>(bytes[at]); }

// Markers that stand alone, without a length: TEM and RST0-7 (T.81 B.1.1.3).
bool stands_alone(unsigned marker) { return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7); }

// One marker segment before the first scan.
struct Segment {
  unsigned marker = 0;
  size_t start = 0;     // of the 0xFF introducing the marker
  size_t end = 0;       // one past the segment
  std::string_view payload;  // after the length field
};

// Walks the segments of a JPEG up to its first scan. `next` returns false at
// the scan (or the end of the image), or when a segment is malformed.
class SegmentReader {
 public:
  explicit SegmentReader(std::string_view jpeg) : jpeg_(jpeg) {}

  bool starts_well() {
    if (jpeg_.size() < 4 || byte_at(jpeg_, 0) != kMarker || byte_at(jpeg_, 1) != kStartOfImage) return false;
    at_ = 2;
    return true;
  }

  bool next(Segment& segment) {
    if (at_ >= jpeg_.size() || byte_at(jpeg_, at_) != kMarker) return fail();
    segment.start = at_;
    size_t cursor = at_;
    while (cursor < jpeg_.size() && byte_at(jpeg_, cursor) == kMarker) ++cursor;  // fill bytes
    if (cursor >= jpeg_.size()) return fail();
    segment.marker = byte_at(jpeg_, cursor++);
    if (segment.marker == 0x00) return fail();  // a stuffed zero belongs in a scan, not here
    if (segment.marker == kStartOfScan || segment.marker == kEndOfImage) {
      scan_ = segment.start;
      return false;
    }
    if (stands_alone(segment.marker)) {
      segment.end = at_ = cursor;
      segment.payload = {};
      return true;
    }
    if (jpeg_.size() - cursor < 2) return fail();
    size_t length = byte_at(jpeg_, cursor) << 8 | byte_at(jpeg_, cursor + 1);
    if (length < 2 || length > jpeg_.size() - cursor) return fail();
    segment.payload = jpeg_.substr(cursor + 2, length - 2);
    segment.end = at_ = cursor + length;
    return true;
  }

  // Where the first scan (or the end of the image) begins; npos when the
  // segments before it were malformed.
  size_t scan() const { return scan_; }

 private:
  bool fail() {
    scan_ = std::string_view::npos;
    return false;
  }
  std::string_view jpeg_;
  size_t at_ = 0;
  size_t scan_ = std::string_view::npos;
};

// The orientation entry of IFD0 in an EXIF block (the APP1 payload after
// "Exif\0\0"), each offset checked against the block; 1 when absent.
int exif_orientation(std::string_view tiff) {
  if (tiff.size() < 8) return 1;
  const bool big_endian = tiff.substr(0, 4) == std::string_view("MM\0*", 4);
  if (!big_endian && tiff.substr(0, 4) != std::string_view("II*\0", 4)) return 1;
  auto u16 = [&](size_t at) -> uint32_t {
    return big_endian ? byte_at(tiff, at) << 8 | byte_at(tiff, at + 1) : byte_at(tiff, at + 1) << 8 | byte_at(tiff, at);
  };
  auto u32 = [&](size_t at) -> uint64_t {
    return big_endian ? uint64_t{u16(at)} << 16 | u16(at + 2) : uint64_t{u16(at + 2)} << 16 | u16(at);
  };
  const uint64_t ifd = u32(4);
  if (ifd > tiff.size() - 2) return 1;
  const uint64_t entries = u16(ifd);
  if (entries > (tiff.size() - ifd - 2) / 12) return 1;
  for (uint64_t i = 0; i < entries; ++i) {
    const size_t entry = ifd + 2 + i * 12;
    if (u16(entry) != kOrientationTag) continue;
    if (u16(entry + 2) != kShortType || u32(entry + 4) != 1) return 1;
    const uint32_t value = u16(entry + 8);
    return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
  }
  return 1;
}

bool is_exif(const Segment& segment) {
  return segment.marker == kExifOrXmp && segment.payload.starts_with(kExifHeader);
}

// A TIFF structure with the orientation alone: big-endian header, IFD0 of
// one SHORT entry, no next IFD.
std::string orientation_tiff(int orientation) {
  std::string tiff("MM\0*\0\0\0\x08", 8);
  tiff += std::string("\0\x01", 2);                    // one entry
  tiff += std::string("\x01\x12\0\x03\0\0\0\x01", 8);  // Orientation, SHORT, count 1
  tiff += static_cast<char>(0);
  tiff += static_cast<char>(orientation);
  tiff += std::string("\0\0", 2);                      // value padding
  tiff += std::string("\0\0\0\0", 4);                  // no next IFD
  return tiff;
}

// An APP1 segment holding an EXIF block with the orientation alone.
std::string minimal_exif(int orientation) {
  const std::string block = std::string(kExifHeader) + orientation_tiff(orientation);
  const size_t length = block.size() + 2;
  std::string segment{static_cast<char>(kMarker), static_cast<char>(kExifOrXmp), static_cast<char>(length >> 8),
                      static_cast<char>(length & 0xFF)};
  return segment + block;
}

constexpr std::string_view kPngSignature{"\x89PNG\r\n\x1a\n", 8};
constexpr uint32_t kLargestPngChunk = 0x7FFFFFFF;  // PNG 5.3: lengths are below 2^31

uint32_t big_endian32(std::string_view bytes, size_t at) {
  return static_cast<uint32_t>(byte_at(bytes, at)) << 24 | byte_at(bytes, at + 1) << 16 | byte_at(bytes, at + 2) << 8 |
         byte_at(bytes, at + 3);
}

void append_big_endian32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

// A PNG chunk: length, type, data and the CRC of type and data (zlib's CRC-32 is PNG's).
std::string png_chunk(std::string_view type, std::string_view data) {
  std::string chunk;
  append_big_endian32(chunk, static_cast<uint32_t>(data.size()));
  std::string typed = std::string(type) + std::string(data);
  chunk += typed;
  append_big_endian32(chunk, static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(typed.data()),
                                                         static_cast<uInt>(typed.size()))));
  return chunk;
}

}  // namespace

int jpeg_orientation(std::string_view jpeg) {
  SegmentReader reader(jpeg);
  if (!reader.starts_well()) return 1;
  Segment segment;
  while (reader.next(segment))
    if (is_exif(segment)) return exif_orientation(segment.payload.substr(kExifHeader.size()));
  return 1;
}

std::optional<std::string> strip_jpeg_metadata(std::string_view jpeg) {
  SegmentReader reader(jpeg);
  if (!reader.starts_well()) return std::nullopt;
  std::string stripped(jpeg.substr(0, 2));
  stripped.reserve(jpeg.size());
  bool orientation_kept = false;
  Segment segment;
  while (reader.next(segment)) {
    if (segment.marker != kExifOrXmp && segment.marker != kIptc) {
      stripped += jpeg.substr(segment.start, segment.end - segment.start);
      continue;
    }
    // The orientation takes the place of the first EXIF block, which readers
    // expect right after JFIF.
    if (!orientation_kept && is_exif(segment)) {
      const int orientation = exif_orientation(segment.payload.substr(kExifHeader.size()));
      if (orientation != 1) stripped += minimal_exif(orientation);
      orientation_kept = true;
    }
  }
  if (reader.scan() == std::string_view::npos) return std::nullopt;
  stripped += jpeg.substr(reader.scan());
  return stripped;
}

std::optional<std::string> strip_png_metadata(std::string_view png) {
  if (!png.starts_with(kPngSignature)) return std::nullopt;
  std::string stripped(kPngSignature);
  stripped.reserve(png.size());
  size_t at = kPngSignature.size();
  while (true) {
    if (png.size() - at < 12) return std::nullopt;  // length, type and CRC at the least
    const uint32_t length = big_endian32(png, at);
    if (length > kLargestPngChunk || length > png.size() - at - 12) return std::nullopt;
    const std::string_view type = png.substr(at + 4, 4);
    const size_t end = at + 12 + length;
    if (type == "IEND") {
      stripped += png.substr(at);  // with whatever follows it, as it is
      return stripped;
    }
    if (type == "eXIf") {
      const int orientation = exif_orientation(png.substr(at + 8, length));
      if (orientation != 1) stripped += png_chunk("eXIf", orientation_tiff(orientation));
    } else if (type != "tEXt" && type != "zTXt" && type != "iTXt") {
      stripped += png.substr(at, end - at);
    }
    at = end;
  }
}

}  // namespace isrgen::assets
