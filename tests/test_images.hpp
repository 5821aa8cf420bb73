#pragma once
// Frames for tests: deterministic noise with structure, in a buffer whose row stride is wider
// than the pixels (so every backend is tested with padded rows).

#include "blurcam/image.hpp"
#include "blurcam/params.hpp"

#include <cstdint>
#include <random>
#include <vector>

namespace blurcam::test {

struct OwnedImage {
    int width = 0;
    int height = 0;
    std::size_t strideBytes = 0;
    std::vector<std::uint8_t> pixels;

    OwnedImage(int w, int h, int paddingBytes = 12)
        : width(w), height(h), strideBytes(static_cast<std::size_t>(w) * 4 + paddingBytes),
          pixels(strideBytes * static_cast<std::size_t>(h), 0xCD) {}

    [[nodiscard]] ImageView view() const { return {pixels.data(), width, height, strideBytes}; }
    [[nodiscard]] MutableImageView mutableView() { return {pixels.data(), width, height, strideBytes}; }
    [[nodiscard]] std::uint8_t* at(int x, int y) { return pixels.data() + y * strideBytes + x * 4; }
    [[nodiscard]] const std::uint8_t* at(int x, int y) const { return pixels.data() + y * strideBytes + x * 4; }
};

/// Noise, gradients and hard edges with extremes (0 and 255), different per channel.
inline OwnedImage makeTestImage(int width, int height, unsigned seed = 1) {
    OwnedImage image(width, height);
    std::mt19937 random(seed * 7919U + static_cast<unsigned>(width * 131 + height));
    std::uniform_int_distribution<int> byte(0, 255);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            std::uint8_t* pixel = image.at(x, y);
            const int kind = (x / 7 + y / 5) % 4;
            pixel[0] = static_cast<std::uint8_t>(kind == 0 ? byte(random) : (x * 255) / std::max(1, width - 1));
            pixel[1] = static_cast<std::uint8_t>(((x + y) % 2) != 0 ? 255 : 0);
            pixel[2] = static_cast<std::uint8_t>(byte(random));
            pixel[3] = static_cast<std::uint8_t>(kind == 3 ? 0 : (kind == 2 ? 255 : byte(random)));
        }
    }
    return image;
}

inline OwnedImage makeOutputFor(const OwnedImage& input, int stride) {
    const Size size = outputSize({input.width, input.height}, stride);
    return OwnedImage(size.width, size.height, 8);
}

} // namespace blurcam::test
