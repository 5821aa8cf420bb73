#pragma once
// Kernel weights, and the fixed-point arithmetic that every backend (CPU, Vulkan) follows so
// they agree to the last bit.
//
// The arithmetic, for output (i, j), channel c, r = K/2, q = fixed-point taps (sum ~65536):
//   column pass (vertical), for each needed input column x:
//     V(x) = sum_a floor((p(fold(s*i + a - r), x) * 256) * q[a] / 65536)      (uint16, 8 frac bits)
//   row pass (horizontal):
//     H    = sum_b floor(V(fold(s*j + b - r)) * q[b] / 65536)                 (uint16, 8 frac bits)
//   out  = (H + roundingBias) >> 8
// Both passes truncate; roundingBias = 128 + (truncations per pass) centres the truncation
// error, except for kernels whose products are all exact (binomial), where it is exactly 128
// and the result equals cv::pyrDown bit for bit. With Zero edges, samples outside are 0.
// Every sum fits in uint16 (<= 65280 + bias), so SIMD lanes and GPU uints hold it exactly.

#include "blurcam/params.hpp"

#include <cstdint>
#include <vector>

namespace blurcam {

/// Normalised 1-D weights (length K). The 2-D kernel is their outer product, which for the
/// Gaussian equals exp(-(a^2+b^2)/(2 sigma^2)) normalised over the K x K grid.
[[nodiscard]] std::vector<double> kernelWeights1D(const BlurParams& params);

/// Full K x K kernel, row-major, for display (heat map) and tests.
[[nodiscard]] std::vector<double> kernelWeights2D(const BlurParams& params);

struct FixedPointKernel {
    std::vector<std::uint16_t> taps; ///< K symmetric taps, each <= 65535, summing to 65536 (65535 if capped)
    std::uint16_t roundingBias = 128;
};

[[nodiscard]] FixedPointKernel quantizeKernel(const BlurParams& params);

} // namespace blurcam
