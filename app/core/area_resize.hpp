#pragma once
// Area-averaging downscale of RGBA8 frames, the result cv::resize(..., INTER_AREA) gives to within
// one level per byte, about ten times faster at the non-integer ratios the GUI meets (480 -> 256 is
// 1.875). OpenCV's generic area path walks a table of (source, destination, float weight) triples
// per pixel; here the weights are separable, fixed point, and laid out per output column.
//
// Fixed-point contract: every output pixel's column weights and row weights are each rounded to
// Q14 and corrected so they sum to exactly 1 << 14. The vertical pass (first) keeps Q7
// (sum + 64 >> 7, at most 255 << 7 so it fits int16), the horizontal pass accumulates Q7 * Q14
// in 32 bits (at most 255 << 21) and rounds once. The
// weight rounding moves a result by at most 255 * n / 2^15 levels for n source pixels per output
// on an axis, so with the final rounding it stays within 1 level of OpenCV's float result;
// tests/app_core_tests.cpp (AreaResize*) checks that against cv::resize over sizes, ratios
// (integer ones too) and contents.

#include "blurcam/image.hpp"

#include <cstdint>
#include <vector>

namespace blurcam::app {

/// Reusable tables and row buffers for one (source size, destination size) pair. After the first
/// frame of a given pair, resizing allocates nothing.
class AreaResizer {
  public:
    /// True when resize() handles this pair: a downscale (or same size) on both axes. For
    /// anything that grows, OpenCV's INTER_AREA is bilinear-like and callers should use it.
    [[nodiscard]] static bool handles(Size source, Size destination);

    /// dst = area average of src. Both must be non-empty, with handles(src.size(), dst.size()).
    void resize(const ImageView& src, const MutableImageView& dst);

  private:
    // One axis: for output index d, source indices first[d] .. first[d] + count[d] - 1 with Q14
    // weights weights[offset[d] ..].
    struct Axis {
        int sourceSize = 0;
        int destinationSize = 0;
        std::vector<int> first;
        std::vector<int> count;
        std::vector<int> offset;
        std::vector<std::uint32_t> weights;
        int taps = 0;                           // the largest count, rounded up to even
        std::vector<std::uint32_t> pairWeights; // taps / 2 per output, two Q14 weights each
        void build(int source, int destination);
    };

    Axis m_x;
    Axis m_y;
    std::vector<std::uint32_t> m_accumulator;       // one output row's vertical sums, source width
    std::vector<std::int16_t> m_sums;               // the same in Q7, then zero padding for the taps
    std::vector<const std::uint8_t*> m_rowPointers; // the source rows feeding that output row
};

} // namespace blurcam::app
