#pragma once
// The EXIF Orientation tag of a still image. Phones store a portrait photo as a landscape sensor
// image and say in EXIF how to turn it; every viewer honours that, so blurcam must too.
// cv::imdecode cannot both keep alpha (IMREAD_UNCHANGED) and apply the orientation (which
// IMREAD_UNCHANGED turns off), so blurcam reads the tag itself. A pure function of the bytes:
// the reader fuzzer calls it directly.

#include <cstdint>
#include <vector>

namespace blurcam::app {

/// The Orientation tag (1..8, as in the EXIF and TIFF specifications) from a JPEG's APP1 "Exif"
/// segment or a PNG's eXIf chunk; 1 (upright as stored) when there is none or it is damaged.
[[nodiscard]] int exifOrientation(const std::vector<std::uint8_t>& bytes);

} // namespace blurcam::app
