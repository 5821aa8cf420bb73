#pragma once
// The two passes of the CPU path, one function pair per instruction set. They all follow the
// fixed-point arithmetic documented in blurcam/kernel.hpp, so every level gives the same bytes.

#include <cstdint>

namespace blurcam::cpu {

struct ColumnPassArgs {
    const std::uint8_t* const* rows; ///< K source rows for this output row; null = zero padding
    const std::uint16_t* taps;       ///< K fixed-point taps
    int kernelSize;
    int valueCount;                  ///< values per row: 4 * width
    std::uint16_t* out;              ///< valueCount results, 8 fractional bits
};

struct RowPassArgs {
    const std::uint16_t* extended; ///< column-pass row with radius pixels of border on each side (+ slack)
    const std::uint16_t* taps;
    int kernelSize;
    int stride;                    ///< 1 or 2
    int outWidth;                  ///< pixels
    std::uint16_t roundingBias;
    std::uint8_t* out;             ///< outWidth RGBA pixels
};

/// Pixels of zeroed slack the row buffer needs after the right border: the SIMD row pass may
/// load (never use) a few pixels past the last one.
inline constexpr int kRowSlackPixels = 16;

void columnPassScalar(const ColumnPassArgs& args);
void rowPassScalar(const RowPassArgs& args);
void columnPassSse2(const ColumnPassArgs& args);
void rowPassSse2(const RowPassArgs& args);
void columnPassAvx2(const ColumnPassArgs& args);
void rowPassAvx2(const RowPassArgs& args);

} // namespace blurcam::cpu
