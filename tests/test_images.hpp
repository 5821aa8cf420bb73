#pragma once
// Frames for tests: deterministic noise with structure, in a buffer whose row stride is wider
// than the pixels (so every backend is tested with padded rows).

#include "blurcam/image.hpp"
#include "blurcam/params.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
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

/// Photo-like content: smooth shading (a sky gradient and a vignette), a few hard-edged shapes,
/// and sensor noise, so blurred sums fall on every fraction of a level, as they do on camera frames.
inline OwnedImage makePhotoLikeImage(int width, int height, unsigned seed) {
    OwnedImage image(width, height);
    std::mt19937 random(seed);
    std::normal_distribution<double> sensorNoise(0.0, 4.0);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    struct Disc {
        double x, y, radius;
        double colour[4];
    };
    std::vector<Disc> discs(6);
    for (Disc& disc : discs) {
        disc = {unit(random) * width, unit(random) * height, (0.05 + 0.3 * unit(random)) * std::max(width, height), {}};
        for (double& level : disc.colour) {
            level = 255.0 * unit(random);
        }
    }
    const double phase = 6.28 * unit(random);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const double u = (x + 0.5) / width;
            const double v = (y + 0.5) / height;
            const double vignette = 1.0 - 0.6 * ((u - 0.5) * (u - 0.5) + (v - 0.5) * (v - 0.5));
            double level[4] = {(60 + 150 * v + 30 * std::sin(9 * u + phase)) * vignette,
                               (90 + 120 * v + 25 * std::cos(7 * v + 5 * u)) * vignette,
                               (200 - 80 * v + 20 * std::sin(13 * u * v + phase)) * vignette,
                               230 + 25 * std::sin(3 * u + phase)};
            for (const Disc& disc : discs) {
                if ((x - disc.x) * (x - disc.x) + (y - disc.y) * (y - disc.y) < disc.radius * disc.radius) {
                    std::copy(std::begin(disc.colour), std::end(disc.colour), std::begin(level));
                }
            }
            std::uint8_t* pixel = image.at(x, y);
            for (int channel = 0; channel < 4; ++channel) {
                const double noisy = level[channel] + sensorNoise(random);
                pixel[channel] = static_cast<std::uint8_t>(std::clamp(std::lround(noisy), 0L, 255L));
            }
        }
    }
    return image;
}

/// Every byte uniform in 0..255: the largest spectrum the FFT sees.
inline OwnedImage makeNoiseImage(int width, int height, unsigned seed) {
    OwnedImage image(width, height);
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width * 4; ++x) {
            image.at(0, y)[x] = static_cast<std::uint8_t>(byte(random));
        }
    }
    return image;
}

inline OwnedImage makeOutputFor(const OwnedImage& input, int stride) {
    const Size size = outputSize({input.width, input.height}, stride);
    return OwnedImage(size.width, size.height, 8);
}

} // namespace blurcam::test
