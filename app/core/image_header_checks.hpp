#pragma once
// Checks on an image file's bytes before any decoder sees them. Decoders are forgiving where
// blurcam must not be (libjpeg fills a cut-off JPEG with grey and only warns) and trusting where
// blurcam must not be (a 100-byte file can claim 100000x100000 pixels, and the decoder then tries
// to allocate 40 GB). Pure functions of the bytes: the reader fuzzer calls them directly.

#include "constants.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace blurcam::app {

/// PNG, JPEG or BMP by signature: the only bytes that reach cv::imdecode, which otherwise tries
/// every decoder it has (and GDCM's DICOM reader abort()s on some garbage).
[[nodiscard]] bool hasSupportedImageSignature(const std::vector<std::uint8_t>& bytes);

/// Width and height the PNG IHDR, JPEG start-of-frame or BMP info header declares; nullopt when
/// the format is unknown or the header is not there (the structure check then judges).
[[nodiscard]] std::optional<std::pair<std::uint64_t, std::uint64_t>>
declaredImageSize(const std::vector<std::uint8_t>& bytes);

/// "" when the declared size is a picture within the limits; otherwise what is wrong, as the end
/// of a sentence that starts with the file name ("claims 0x48 pixels (no picture)").
[[nodiscard]] std::string imageSizeProblem(const std::vector<std::uint8_t>& bytes);

/// "" when the bytes look like a complete PNG, JPEG or BMP (or an unknown format, which the
/// decoder then judges); otherwise what is wrong, as the end of a sentence.
[[nodiscard]] std::string imageStructureProblem(const std::vector<std::uint8_t>& bytes);

/// The most bytes a file whose start is head can take up and still be an image blurcam reads:
/// the declared picture (or the largest accepted one, when head does not declare it yet) at 16
/// bits per RGBA channel with no compression, plus room for metadata. A larger file is refused
/// before it is read whole: a sparse 8 GB file behind a valid header would otherwise take all
/// memory.
[[nodiscard]] std::uint64_t largestEncodedImageBytes(const std::vector<std::uint8_t>& head);

/// Every check, in the order the image source applies them (signature, size, structure): "" when
/// the bytes may be decoded, otherwise what is wrong, as the end of a sentence.
[[nodiscard]] std::string imageHeaderProblem(const std::vector<std::uint8_t>& bytes);

} // namespace blurcam::app
