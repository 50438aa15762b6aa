// Drops the metadata of a JPEG (its segments) or a PNG (its chunks) without
// touching its image data: the static copy of a photo is published without
// the EXIF (GPS position, camera serial), XMP, IPTC and text it was shot
// with, its pixels bit for bit the same.
//
// Written by hand, at the level of JPEG markers (ITU T.81 B.1) and PNG chunks:
// libvips and libjpeg only strip by decoding and encoding again (losing
// quality), and Debian's libexiv2, which can erase metadata losslessly, does
// so by parsing every block it erases, a large surface for hostile files,
// where dropping whole segments needs no parsing at all. The rewrite reads
// only the segment headers before the first scan (or the chunk headers), each
// bounded by its length field, and the one orientation entry of an EXIF block.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace isrgen::assets {

// The EXIF orientation (1-8) of a JPEG, 1 when it has none or it cannot be read.
int jpeg_orientation(std::string_view jpeg);

// `jpeg` without its APP1 (EXIF, XMP) and APP13 (IPTC, Photoshop) segments,
// keeping JFIF (APP0), ICC profiles (APP2), Adobe (APP14), the tables and the
// scans as they are. An orientation other than 1 is kept in a minimal EXIF
// holding only it, so the image still displays upright. nullopt when `jpeg`
// is not a JPEG whose segments up to its first scan are well formed.
std::optional<std::string> strip_jpeg_metadata(std::string_view jpeg);

// `png` without its eXIf, tEXt, zTXt and iTXt (XMP) chunks, every other chunk
// as it is. An EXIF orientation other than 1 is kept in a minimal eXIf chunk
// in the place of the old one. nullopt when `png` is not a PNG whose chunks
// are well formed up to IEND.
std::optional<std::string> strip_png_metadata(std::string_view png);

}  // namespace isrgen::assets
