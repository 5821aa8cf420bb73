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
    // of the normalised 1-D one, so separable passes give exactly the formula.
    const int radius = params.kernelSize / 2;
    std::vector<double> weights(static_cast<std::size_t>(params.kernelSize));
    for (int offset = -radius; offset <= radius; ++offset) {
        const int index = offset + radius;
        weights[static_cast<std::size_t>(index)] = std::exp(-(offset * offset) / (2.0 * params.sigma * params.sigma));
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

    // Largest-remainder rounding: every tap within 1 LSB of its weight and the taps sum to
    // exactly 65536, so a flat frame stays flat.
    std::vector<long> taps(weights.size());
    std::vector<double> remainders(weights.size());
    long total = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
        const double scaled = weights[k] * kOne;
        taps[k] = static_cast<long>(std::floor(scaled));
        remainders[k] = scaled - static_cast<double>(taps[k]);
        total += taps[k];
    }
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    // Ties go to the centre first, then symmetric pairs, so a symmetric kernel stays symmetric
    // whenever the leftover allows it.
    const auto centre = static_cast<long>(weights.size() / 2);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t left, std::size_t right) {
        if (remainders[left] != remainders[right]) {
            return remainders[left] > remainders[right];
        }
        return std::labs(static_cast<long>(left) - centre) < std::labs(static_cast<long>(right) - centre);
    });
    for (std::size_t k = 0; total < static_cast<long>(kOne); ++k) {
        ++taps[order[k % order.size()]];
        ++total;
    }

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
