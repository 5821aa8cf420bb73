#pragma once
// Frames cross the engine boundary as plain views (pointer, size, row stride), the way
// OpenCV's HAL does, so any caller (cv::Mat, QImage, a GPU staging buffer) can use the engine
// without the engine knowing about it.

#include <cstddef>
#include <cstdint>

namespace blurcam {

inline constexpr int kChannels = 4; // RGBA8, every channel (alpha too) filtered on its own

struct Size {
    int width = 0;
    int height = 0;
    friend bool operator==(const Size&, const Size&) = default;
};

/// Read-only RGBA8 frame. strideBytes is the distance between rows, at least 4*width.
struct ImageView {
    const std::uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    std::size_t strideBytes = 0;

    [[nodiscard]] Size size() const { return {width, height}; }
    [[nodiscard]] const std::uint8_t* row(int y) const { return data + static_cast<std::size_t>(y) * strideBytes; }
};

/// Writable RGBA8 frame.
struct MutableImageView {
    std::uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    std::size_t strideBytes = 0;

    [[nodiscard]] Size size() const { return {width, height}; }
    [[nodiscard]] std::uint8_t* row(int y) const { return data + static_cast<std::size_t>(y) * strideBytes; }
    [[nodiscard]] ImageView view() const { return {data, width, height, strideBytes}; }
};

} // namespace blurcam
