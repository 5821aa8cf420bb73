#include "blurcam/kernel.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace blurcam {

std::vector<double> kernelWeights1D(const BlurParams& params) {
    validate(params);
    if (params.kernel == KernelKind::Binomial) {
        return {1.0 / 16, 4.0 / 16, 6.0 / 16, 4.0 / 16, 1.0 / 16};
    }
    // exp(-(a^2+b^2)/(2 sigma^2)) = g(a) g(b): the normalised 2-D Gaussian is the outer product
    // of the normalised 1-D one, so separable passes give exactly the contract's 2-D formula.
    const int radius = params.kernelSize / 2;
    std::vector<double> weights(static_cast<std::size_t>(params.kernelSize));
    for (int offset = -radius; offset <= radius; ++offset) {
        const int index = offset + radius;
        // The centre is exp(0) = 1, written out: below sigma ~1.5e-162, 2 sigma^2 underflows to 0
        // and -0 / 0 would be NaN, while every other tap still correctly becomes exp(-inf) = 0.
        // Tiny sigmas then give the identity kernel on every backend, as the formula's limit does.
        weights[static_cast<std::size_t>(index)] =
            offset == 0 ? 1.0 : std::exp(-(offset * offset) / (2.0 * params.sigma * params.sigma));
    }
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    for (double& weight : weights) {
        weight /= sum;
    }
    return weights;
}

std::vector<double> kernelWeights2D(const BlurParams& params) {
    const std::vector<double> weights = kernelWeights1D(params);
    std::vector<double> grid;
    grid.reserve(weights.size() * weights.size());
    for (double row : weights) {
        for (double column : weights) {
            grid.push_back(row * column);
        }
    }
    return grid;
}

FixedPointKernel quantizeKernel(const BlurParams& params) {
    const std::vector<double> weights = kernelWeights1D(params);
    constexpr double kOne = 65536.0;

    // Largest-remainder rounding, kept symmetric (tap t == tap K-1-t, which lets SIMD code hold
    // one register per mirrored pair): every side tap within 1 LSB of its weight, mirrored pairs
    // rounded up together (2 units each), and the centre takes what is left, so the taps sum to
    // exactly 65536 and a flat frame stays flat. A test proves the error bound for every kernel.
    const std::size_t radius = weights.size() / 2;
    std::vector<long> taps(weights.size());
    long total = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
        taps[k] = static_cast<long>(std::floor(weights[k] * kOne));
        total += taps[k];
    }
    std::vector<std::size_t> pairs(radius);
    std::iota(pairs.begin(), pairs.end(), 0);
    const auto remainder = [&](std::size_t tap) { return weights[tap] * kOne - static_cast<double>(taps[tap]); };
    std::stable_sort(pairs.begin(), pairs.end(),
                     [&](std::size_t left, std::size_t right) { return remainder(left) > remainder(right); });
    for (std::size_t pair : pairs) {
        // A pair goes up only while that brings the total closer to 65536 than the centre
        // alone would (remainder above one half).
        if (static_cast<long>(kOne) - total < 2 || remainder(pair) < 0.5) {
            break;
        }
        ++taps[pair];
        ++taps[weights.size() - 1 - pair];
        total += 2;
    }
    taps[radius] += static_cast<long>(kOne) - total;

    FixedPointKernel kernel;
    kernel.taps.resize(taps.size());
    int truncatingTaps = 0;
    for (std::size_t k = 0; k < taps.size(); ++k) {
        // A lone tap of 1.0 does not fit 16 bits; 65535 still reproduces every byte exactly
        // (the bias below absorbs the 2/256 it loses over two passes).
        kernel.taps[k] = static_cast<std::uint16_t>(std::min<long>(taps[k], 65535));
        truncatingTaps += kernel.taps[k] != 0 ? 1 : 0;
    }
    // Binomial taps are multiples of 4096, so both passes are exact and the plain +128 rounding
    // reproduces cv::pyrDown. Otherwise each pass truncates up to 1/256 per tap: centre it.
    kernel.roundingBias =
        params.kernel == KernelKind::Binomial ? std::uint16_t{128} : static_cast<std::uint16_t>(128 + truncatingTaps);
    return kernel;
}

} // namespace blurcam
