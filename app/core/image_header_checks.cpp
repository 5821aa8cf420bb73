#include "image_header_checks.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace blurcam::app {
namespace {

constexpr std::uint64_t kMaxImagePixels = std::uint64_t{kMaxImageSide} * kMaxImageSide;

constexpr std::array<std::uint8_t, 8> kPngSignature{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

bool isPng(const std::vector<std::uint8_t>& bytes) {
    return bytes.size() >= 8 && std::equal(kPngSignature.begin(), kPngSignature.end(), bytes.begin());
}

bool isJpeg(const std::vector<std::uint8_t>& bytes) {
    return bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
}

bool isBmp(const std::vector<std::uint8_t>& bytes) {
    return bytes.size() >= 2 && bytes[0] == 'B' && bytes[1] == 'M';
}

std::uint32_t bigEndian32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
    return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
           (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

std::uint32_t littleEndian32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
    return std::uint32_t{bytes[at]} | (std::uint32_t{bytes[at + 1]} << 8) | (std::uint32_t{bytes[at + 2]} << 16) |
           (std::uint32_t{bytes[at + 3]} << 24);
}

std::string pngStructureProblem(const std::vector<std::uint8_t>& bytes) {
    std::size_t at = 8;
    while (at + 12 <= bytes.size()) { // length, type, data, CRC
        const std::uint32_t length = bigEndian32(bytes, at);
        const bool isEnd = bytes[at + 4] == 'I' && bytes[at + 5] == 'E' && bytes[at + 6] == 'N' && bytes[at + 7] == 'D';
        if (length > bytes.size() - at - 12) {
            break;
        }
        if (isEnd) {
            return {};
        }
        at += 12 + length;
    }
    return "is truncated or corrupt (its PNG chunks end before the IEND chunk)";
}

std::string jpegStructureProblem(const std::vector<std::uint8_t>& bytes) {
    // Walk the marker segments to the first start-of-scan (skipping thumbnails hidden in APP
    // segments), then the end-of-image marker must follow. Entropy-coded data stuffs every 0xFF
    // with 0x00, so 0xFF 0xD9 there is always the real marker.
    std::size_t at = 2;
    while (at + 4 <= bytes.size()) {
        if (bytes[at] != 0xFF) {
            return "is corrupt (a JPEG marker is missing)";
        }
        const std::uint8_t marker = bytes[at + 1];
        if (marker == 0xFF) { // fill byte
            ++at;
            continue;
        }
        const std::size_t length = (std::size_t{bytes[at + 2]} << 8) | bytes[at + 3];
        if (marker == 0xDA) {
            for (std::size_t scan = at + 2 + length; scan + 1 < bytes.size(); ++scan) {
                if (bytes[scan] == 0xFF && bytes[scan + 1] == 0xD9) {
                    return {};
                }
            }
            break;
        }
        at += 2 + length;
    }
    return "is truncated or corrupt (the JPEG data ends before its end-of-image marker)";
}

std::string bmpStructureProblem(const std::vector<std::uint8_t>& bytes) {
    // File header (14 bytes: "BM", file size, reserved, pixel offset), then an info header that
    // starts with its own size. OpenCV's reader fails on a cut one with three lines of its text.
    if (bytes.size() < 18) {
        return "is truncated (its BMP header is incomplete)";
    }
    const std::uint32_t declared = littleEndian32(bytes, 2);
    if (declared > bytes.size()) {
        return "is truncated (the BMP header says " + std::to_string(declared) + " bytes, the file has " +
               std::to_string(bytes.size()) + ")";
    }
    const std::uint32_t infoSize = littleEndian32(bytes, 14);
    constexpr std::uint32_t kLargestInfoHeader = 124; // BITMAPV5HEADER
    if (infoSize < 12 || infoSize > kLargestInfoHeader) {
        return "is corrupt (its BMP info header claims to be " + std::to_string(infoSize) + " bytes long)";
    }
    if (bytes.size() < 14 + std::size_t{infoSize}) {
        return "is truncated (its BMP header is incomplete)";
    }
    const std::uint32_t pixelOffset = littleEndian32(bytes, 10);
    if (pixelOffset > bytes.size()) {
        return "is truncated (its BMP pixels would start at byte " + std::to_string(pixelOffset) + ", the file has " +
               std::to_string(bytes.size()) + ")";
    }
    return {};
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> jpegDeclaredSize(const std::vector<std::uint8_t>& bytes) {
    std::size_t at = 2;
    while (at + 4 <= bytes.size()) {
        if (bytes[at] != 0xFF) {
            break;
        }
        const std::uint8_t marker = bytes[at + 1];
        if (marker == 0xFF) {
            ++at;
            continue;
        }
        const std::size_t length = (std::size_t{bytes[at + 2]} << 8) | bytes[at + 3];
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision(1) height(2) width(2).
        const bool isStartOfFrame =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (isStartOfFrame && at + 9 <= bytes.size()) {
            const std::uint64_t height = (std::uint64_t{bytes[at + 5]} << 8) | bytes[at + 6];
            const std::uint64_t width = (std::uint64_t{bytes[at + 7]} << 8) | bytes[at + 8];
            return std::pair{width, height};
        }
        if (marker == 0xDA) {
            break;
        }
        at += 2 + length;
    }
    return std::nullopt;
}

} // namespace

bool hasSupportedImageSignature(const std::vector<std::uint8_t>& bytes) {
    return isPng(bytes) || isJpeg(bytes) || isBmp(bytes);
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> declaredImageSize(const std::vector<std::uint8_t>& bytes) {
    if (isPng(bytes) && bytes.size() >= 24) {
        // IHDR must be the first chunk: length(4) "IHDR"(4) width(4) height(4).
        return std::pair{std::uint64_t{bigEndian32(bytes, 16)}, std::uint64_t{bigEndian32(bytes, 20)}};
    }
    if (isJpeg(bytes)) {
        return jpegDeclaredSize(bytes);
    }
    if (isBmp(bytes) && bytes.size() >= 26) {
        const std::uint32_t headerSize = littleEndian32(bytes, 14);
        if (headerSize == 12) { // OS/2 BITMAPCOREHEADER: 16-bit width and height
            return std::pair{std::uint64_t{bytes[18]} | (std::uint64_t{bytes[19]} << 8),
                             std::uint64_t{bytes[20]} | (std::uint64_t{bytes[21]} << 8)};
        }
        // Signed 32-bit; a negative height means top-down rows, so the magnitude counts.
        const auto magnitude = [](std::uint32_t raw) {
            return static_cast<std::uint64_t>(std::abs(std::int64_t{static_cast<std::int32_t>(raw)}));
        };
        return std::pair{magnitude(littleEndian32(bytes, 18)), magnitude(littleEndian32(bytes, 22))};
    }
    return std::nullopt;
}

std::string imageSizeProblem(const std::vector<std::uint8_t>& bytes) {
    const auto declared = declaredImageSize(bytes);
    if (!declared) {
        return {};
    }
    const auto [width, height] = *declared;
    const std::string claim = "claims " + std::to_string(width) + "x" + std::to_string(height) + " pixels";
    if (width == 0 || height == 0) {
        return claim + " (no picture)";
    }
    if (width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImagePixels) {
        return claim + ", more than blurcam accepts (at most " + std::to_string(kMaxImageSide) + " on a side)";
    }
    return {};
}

std::uint64_t largestEncodedImageBytes(const std::vector<std::uint8_t>& head) {
    constexpr std::uint64_t kBytesPerPixel = 8; // RGBA, 16 bits a channel
    constexpr std::uint64_t kMetadataBytes = std::uint64_t{64} << 20;
    const auto declared = declaredImageSize(head);
    const std::uint64_t pixels = declared && declared->first <= kMaxImageSide && declared->second <= kMaxImageSide
                                     ? declared->first * declared->second
                                     : kMaxImagePixels;
    return pixels * kBytesPerPixel + kMetadataBytes;
}

std::string imageStructureProblem(const std::vector<std::uint8_t>& bytes) {
    if (isPng(bytes)) {
        return pngStructureProblem(bytes);
    }
    if (isJpeg(bytes)) {
        return jpegStructureProblem(bytes);
    }
    if (isBmp(bytes)) {
        return bmpStructureProblem(bytes);
    }
    return {};
}

std::string imageHeaderProblem(const std::vector<std::uint8_t>& bytes) {
    if (!hasSupportedImageSignature(bytes)) {
        return "is not an image blurcam can read (not a PNG, JPEG or BMP file)";
    }
    // The size first: a huge claim is refused before the decoder allocates anything.
    if (std::string problem = imageSizeProblem(bytes); !problem.empty()) {
        return problem;
    }
    return imageStructureProblem(bytes);
}

} // namespace blurcam::app
