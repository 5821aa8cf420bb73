#pragma once
// The two passes of the CPU path, one function pair per instruction set. They all follow the
// fixed-point arithmetic documented in blurcam/kernel.hpp, so every level gives the same bytes.
//
// Both passes are element-wise over uint16/uint8 lanes, which is what makes them fast:
// - the column pass combines K source rows into one row of 16-bit values. For stride 2 it
//   writes even and odd pixels to separate arrays, so that
// - the row pass, for stride 2 too, only has to combine K contiguous rows of 16-bit values
//   (tap t of output pixel j is element j of its own pointer), with no shuffles at all.

#include <cstdint>

namespace blurcam::cpu {

struct ColumnPassArgs {
    const std::uint8_t* const* rows; ///< K source rows (a zero row stands in for zero padding)
    const std::uint16_t* taps;       ///< K fixed-point taps
    int kernelSize;
    int pixelCount;        ///< pixels per row
    std::uint16_t* out;    ///< natural layout: pixel x at out[4x]; split: even pixel x at out[4(x/2)]
    std::uint16_t* outOdd; ///< null: natural layout; else odd pixel x at outOdd[4((x-1)/2)]
};

/// Two consecutive output rows at once: row 0 takes rows[0..K), row 1 takes rows[stride..K+stride)
/// (the same source rows shifted by the stride, edges included), so each source row shared by
/// the two is loaded and widened once.
struct ColumnPairArgs {
    const std::uint8_t* const* rows; ///< K + stride source rows
    const std::uint16_t* taps;
    int kernelSize;
    int stride;
    int pixelCount;
    std::uint16_t* out[2];
    std::uint16_t* outOdd[2];
};

struct RowPassArgs {
    const std::uint16_t* const* tapRows; ///< K pointers: output value v takes tapRows[t][v] for tap t
    const std::uint16_t* taps;
    int kernelSize;
    int valueCount; ///< 4 * output width
    std::uint16_t roundingBias;
    std::uint8_t* out;
};

void columnPassScalar(const ColumnPassArgs& args);
void rowPassScalar(const RowPassArgs& args);
void columnPassSse2(const ColumnPassArgs& args);
void rowPassSse2(const RowPassArgs& args);
void columnPassAvx2(const ColumnPassArgs& args);
/// Returns false when it has no specialisation for this kernel size (the caller then does the
/// two rows one at a time).
bool columnPairAvx2(const ColumnPairArgs& args);
void rowPassAvx2(const RowPassArgs& args);

/// Scalar column pass over pixels [firstPixel, pixelCount): the SIMD versions finish with it.
void columnPassScalarTail(const ColumnPassArgs& args, int firstPixel);
/// Scalar row pass over values [firstValue, valueCount).
void rowPassScalarTail(const RowPassArgs& args, int firstValue);

} // namespace blurcam::cpu
