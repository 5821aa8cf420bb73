#include "exif_orientation.hpp"

#include <cstddef>
#include <cstring>

namespace blurcam::app {
namespace {

constexpr int kUpright = 1;
constexpr std::uint16_t kOrientationTag = 0x0112;
constexpr std::uint16_t kTypeShort = 3;

/// Reads the TIFF structure EXIF is stored in: a byte-order mark, 42, the offset of the first
/// directory, and in it 12-byte entries. Every offset is checked against the block's end.
class TiffBlock {
  public:
    TiffBlock(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}

    [[nodiscard]] int orientation() const {
        if (m_size < 8) {
            return kUpright;
        }
        const bool little = m_data[0] == 'I' && m_data[1] == 'I';
        const bool big = m_data[0] == 'M' && m_data[1] == 'M';
        if ((!little && !big) || read16(2, little) != 42) {
            return kUpright;
        }
        const std::uint64_t directory = read32(4, little);
        if (directory + 2 > m_size) {
            return kUpright;
        }
        const std::uint16_t entries = read16(directory, little);
        for (std::uint64_t entry = 0; entry < entries; ++entry) {
            const std::uint64_t at = directory + 2 + entry * 12;
            if (at + 12 > m_size) {
                return kUpright;
            }
            if (read16(at, little) != kOrientationTag) {
                continue;
            }
            if (read16(at + 2, little) != kTypeShort || read32(at + 4, little) != 1) {
                return kUpright;
            }
            const std::uint16_t value = read16(at + 8, little);
            return value >= 1 && value <= 8 ? value : kUpright;
        }
        return kUpright;
    }

  private:
    [[nodiscard]] std::uint16_t read16(std::uint64_t at, bool little) const {
        const std::uint16_t a = m_data[at];
        const std::uint16_t b = m_data[at + 1];
        return little ? static_cast<std::uint16_t>(a | (b << 8)) : static_cast<std::uint16_t>((a << 8) | b);
    }
    [[nodiscard]] std::uint32_t read32(std::uint64_t at, bool little) const {
        const std::uint32_t low = read16(at + (little ? 0 : 2), little);
        const std::uint32_t high = read16(at + (little ? 2 : 0), little);
        return low | (high << 16);
    }

    const std::uint8_t* m_data;
    std::size_t m_size;
};

std::uint32_t bigEndian32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
    return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
           (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

int jpegOrientation(const std::vector<std::uint8_t>& bytes) {
    static constexpr char kExifHeader[] = {'E', 'x', 'i', 'f', 0, 0};
    std::size_t at = 2; // after SOI
    while (at + 4 <= bytes.size() && bytes[at] == 0xFF) {
        const std::uint8_t marker = bytes[at + 1];
        if (marker == 0xDA || marker == 0xD9) { // start of scan, end of image: no more metadata
            break;
        }
        const std::size_t length = (std::size_t{bytes[at + 2]} << 8) | bytes[at + 3];
        if (length < 2 || at + 2 + length > bytes.size()) {
            break;
        }
        const std::size_t body = at + 4;
        const std::size_t bodySize = length - 2;
        if (marker == 0xE1 && bodySize > sizeof kExifHeader &&
            std::memcmp(bytes.data() + body, kExifHeader, sizeof kExifHeader) == 0) {
            return TiffBlock(bytes.data() + body + sizeof kExifHeader, bodySize - sizeof kExifHeader).orientation();
        }
        at += 2 + length;
    }
    return kUpright;
}

int pngOrientation(const std::vector<std::uint8_t>& bytes) {
    std::size_t at = 8; // after the signature
    while (at + 12 <= bytes.size()) {
        const std::uint64_t length = bigEndian32(bytes, at);
        if (at + 12 + length > bytes.size()) {
            break;
        }
        const char* type = reinterpret_cast<const char*>(bytes.data() + at + 4);
        if (std::memcmp(type, "eXIf", 4) == 0) {
            return TiffBlock(bytes.data() + at + 8, static_cast<std::size_t>(length)).orientation();
        }
        if (std::memcmp(type, "IEND", 4) == 0) {
            break;
        }
        at += 12 + static_cast<std::size_t>(length);
    }
    return kUpright;
}

} // namespace

int exifOrientation(const std::vector<std::uint8_t>& bytes) {
    if (bytes.size() >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8) {
        return jpegOrientation(bytes);
    }
    static constexpr std::uint8_t kPngSignature[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (bytes.size() >= sizeof kPngSignature && std::memcmp(bytes.data(), kPngSignature, sizeof kPngSignature) == 0) {
        return pngOrientation(bytes);
    }
    return kUpright;
}

} // namespace blurcam::app
