#pragma once
// The plain, obviously correct double-precision blur every backend is measured against: the
// engine contract's formula (README) written out as a direct K x K sum over a 2-D kernel, with
// its own edge rules, and nothing shared with the engine (no fixed point, no separability, no
// engine helpers).

#include "blurcam/image.hpp"
#include "blurcam/params.hpp"

#include <cmath>
#include <vector>

namespace blurcam::test {

/// Index into [0, n) by repeated reflection, one fold at a time, or -1 for zero padding.
inline int referenceFold(int i, int n, EdgeMode mode) {
    switch (mode) {
    case EdgeMode::Zero: return (i < 0 || i >= n) ? -1 : i;
    case EdgeMode::Clamp: return i < 0 ? 0 : (i >= n ? n - 1 : i);
    case EdgeMode::Wrap: return ((i % n) + n) % n;
    case EdgeMode::Mirror: // dcb|abcd|cba
        if (n == 1) {
            return 0;
        }
        while (i < 0 || i >= n) {
            i = i < 0 ? -i : 2 * (n - 1) - i;
        }
        return i;
    case EdgeMode::Reflect: // cba|abcd|dcb
        while (i < 0 || i >= n) {
            i = i < 0 ? -i - 1 : 2 * n - 1 - i;
        }
        return i;
    }
    return -1;
}

/// The K x K kernel straight from the contract: Gaussian exp(-(a^2+b^2)/(2 sigma^2)) normalised
/// over the grid, or the binomial [1 4 6 4 1]/16 outer product.
inline std::vector<double> referenceKernel(const BlurParams& params) {
    const int size = params.kernelSize;
    const int radius = size / 2;
    std::vector<double> kernel(static_cast<std::size_t>(size * size));
    double total = 0.0;
    for (int a = -radius; a <= radius; ++a) {
        for (int b = -radius; b <= radius; ++b) {
            double weight = 0.0;
            if (params.kernel == KernelKind::Binomial) {
                static constexpr double kRow[5] = {1, 4, 6, 4, 1};
                weight = kRow[a + 2] * kRow[b + 2];
            } else {
                // Dividing by sigma twice never forms 0/0 at the centre, where sigma^2 would
                // underflow to 0 for sigma below ~1.5e-162.
                weight = std::exp(-(a * a + b * b) / (2.0 * params.sigma) / params.sigma);
            }
            kernel[static_cast<std::size_t>((a + radius) * size + b + radius)] = weight;
            total += weight;
        }
    }
    for (double& weight : kernel) {
        weight /= total;
    }
    return kernel;
}

/// Unrounded result for one output pixel (i, j) and channel: the K x K sum, straight. On its
/// own it lets a test check large frames at sampled pixels.
inline double referencePixel(const ImageView& src, const BlurParams& params, const std::vector<double>& kernel, int i,
                             int j, int channel) {
    const int size = params.kernelSize;
    const int radius = size / 2;
    double sum = 0.0;
    for (int a = -radius; a <= radius; ++a) {
        const int y = referenceFold(params.stride * i + a, src.height, params.edge);
        for (int b = -radius; b <= radius; ++b) {
            const int x = referenceFold(params.stride * j + b, src.width, params.edge);
            if (x >= 0 && y >= 0) {
                sum += kernel[static_cast<std::size_t>((a + radius) * size + b + radius)] * src.row(y)[x * 4 + channel];
            }
        }
    }
    return sum;
}

/// Unrounded result, 4 doubles per output pixel, row-major.
inline std::vector<double> referenceBlur(const ImageView& src, const BlurParams& params) {
    const std::vector<double> kernel = referenceKernel(params);
    const int outWidth = (src.width + params.stride - 1) / params.stride;
    const int outHeight = (src.height + params.stride - 1) / params.stride;
    std::vector<double> result(static_cast<std::size_t>(outWidth) * outHeight * 4, 0.0);
    for (int i = 0; i < outHeight; ++i) {
        for (int j = 0; j < outWidth; ++j) {
            for (int channel = 0; channel < 4; ++channel) {
                result[(static_cast<std::size_t>(i) * outWidth + j) * 4 + channel] =
                    referencePixel(src, params, kernel, i, j, channel);
            }
        }
    }
    return result;
}

} // namespace blurcam::test
