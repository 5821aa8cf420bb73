// Compiled with -mavx2; only called after the CPU reported AVX2 at run time.
#include "row_kernels.hpp"

#include <cstddef>

#include <immintrin.h>

namespace blurcam::cpu {
namespace {

// FixedK > 0 makes the tap loops constant so the compiler unrolls them and keeps every weight
// in a register; 0 is the general case.
template <int FixedK>
void columnPass(const ColumnPassArgs& args) {
    const int kernelSize = FixedK > 0 ? FixedK : args.kernelSize;
    __m256i weights[64];
    for (int tap = 0; tap < kernelSize; ++tap) {
        weights[tap] = _mm256_set1_epi16(static_cast<short>(args.taps[tap]));
    }
    // Local copies: the stores below could alias args as far as the compiler knows.
    const std::uint8_t* rows[64];
    for (int tap = 0; tap < kernelSize; ++tap) {
        rows[tap] = args.rows[tap];
    }
    std::uint16_t* const out = args.out;
    std::uint16_t* const outOdd = args.outOdd;
    const int pixelCount = args.pixelCount;
    const __m256i zero = _mm256_setzero_si256();
    int x = 0;
    for (; x + 8 <= pixelCount; x += 8) {
        __m256i low = zero;
        __m256i high = zero;
        for (int tap = 0; tap < kernelSize; ++tap) {
            const __m256i pixels =
                _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows[tap] + std::ptrdiff_t{4} * x));
            // value*256 per lane. The unpacks work inside 128-bit lanes: low holds pixels
            // 0 1 | 4 5 and high holds 2 3 | 6 7.
            low = _mm256_add_epi16(low, _mm256_mulhi_epu16(_mm256_unpacklo_epi8(zero, pixels), weights[tap]));
            high = _mm256_add_epi16(high, _mm256_mulhi_epu16(_mm256_unpackhi_epi8(zero, pixels), weights[tap]));
        }
        if (outOdd == nullptr) {
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + std::ptrdiff_t{4} * x),
                                _mm256_permute2x128_si256(low, high, 0x20));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + std::ptrdiff_t{4} * x + 16),
                                _mm256_permute2x128_si256(low, high, 0x31));
        } else {
            // The lane order above is exactly what splitting into even (0 2 | 4 6) and odd
            // (1 3 | 5 7) pixels needs: one 64-bit unpack each.
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + std::ptrdiff_t{2} * x),
                                _mm256_unpacklo_epi64(low, high));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(outOdd + std::ptrdiff_t{2} * x),
                                _mm256_unpackhi_epi64(low, high));
        }
    }
    columnPassScalarTail(args, x);
}

// Taps are symmetric (quantizeKernel), so tap t and tap K-1-t share one weight register.
constexpr int mirrored(int tap, int kernelSize) {
    return tap < kernelSize - 1 - tap ? tap : kernelSize - 1 - tap;
}

template <int FixedK, int Stride, bool Split>
void columnPair(const ColumnPairArgs& args) {
    constexpr int kRows = FixedK + Stride;
    constexpr int kRadius = FixedK / 2;
    __m256i weights[kRadius + 1];
    for (int tap = 0; tap <= kRadius; ++tap) {
        weights[tap] = _mm256_set1_epi16(static_cast<short>(args.taps[tap]));
    }
    const std::uint8_t* rows[kRows]; // local copies: the stores below could alias args
    for (int row = 0; row < kRows; ++row) {
        rows[row] = args.rows[row];
    }
    std::uint16_t* const out[2] = {args.out[0], args.out[1]};
    std::uint16_t* const outOdd[2] = {args.outOdd[0], args.outOdd[1]};
    const int pixelCount = args.pixelCount;
    const __m256i zero = _mm256_setzero_si256();
    int x = 0;
    for (; x + 8 <= pixelCount; x += 8) {
        __m256i low[2] = {zero, zero};
        __m256i high[2] = {zero, zero};
        for (int row = 0; row < kRows; ++row) {
            const __m256i pixels = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows[row] + 4 * x));
            const __m256i widenedLow = _mm256_unpacklo_epi8(zero, pixels);
            const __m256i widenedHigh = _mm256_unpackhi_epi8(zero, pixels);
            if (row < FixedK) {
                const __m256i weight = weights[mirrored(row, FixedK)];
                low[0] = _mm256_add_epi16(low[0], _mm256_mulhi_epu16(widenedLow, weight));
                high[0] = _mm256_add_epi16(high[0], _mm256_mulhi_epu16(widenedHigh, weight));
            }
            if (row >= Stride) {
                const __m256i weight = weights[mirrored(row - Stride, FixedK)];
                low[1] = _mm256_add_epi16(low[1], _mm256_mulhi_epu16(widenedLow, weight));
                high[1] = _mm256_add_epi16(high[1], _mm256_mulhi_epu16(widenedHigh, weight));
            }
        }
        for (int which = 0; which < 2; ++which) {
            if constexpr (Split) {
                _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[which] + 2 * x),
                                    _mm256_unpacklo_epi64(low[which], high[which]));
                _mm256_storeu_si256(reinterpret_cast<__m256i*>(outOdd[which] + 2 * x),
                                    _mm256_unpackhi_epi64(low[which], high[which]));
            } else {
                _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[which] + 4 * x),
                                    _mm256_permute2x128_si256(low[which], high[which], 0x20));
                _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[which] + 4 * x + 16),
                                    _mm256_permute2x128_si256(low[which], high[which], 0x31));
            }
        }
    }
    for (int which = 0; which < 2; ++which) {
        columnPassScalarTail({rows + which * Stride, args.taps, FixedK, pixelCount, out[which], outOdd[which]}, x);
    }
}

template <int FixedK>
void rowPass(const RowPassArgs& args) {
    const int kernelSize = FixedK > 0 ? FixedK : args.kernelSize;
    __m256i weights[64];
    for (int tap = 0; tap < kernelSize; ++tap) {
        weights[tap] = _mm256_set1_epi16(static_cast<short>(args.taps[tap]));
    }
    const __m256i bias = _mm256_set1_epi16(static_cast<short>(args.roundingBias));
    const std::uint16_t* tapRows[64];
    for (int tap = 0; tap < kernelSize; ++tap) {
        tapRows[tap] = args.tapRows[tap];
    }
    std::uint8_t* const out = args.out;
    const int valueCount = args.valueCount;
    int value = 0;
    for (; value + 32 <= valueCount; value += 32) {
        __m256i low = _mm256_setzero_si256();
        __m256i high = _mm256_setzero_si256();
        for (int tap = 0; tap < kernelSize; ++tap) {
            const auto* source = reinterpret_cast<const __m256i*>(tapRows[tap] + value);
            const __m256i weight = weights[mirrored(tap, kernelSize)];
            low = _mm256_add_epi16(low, _mm256_mulhi_epu16(_mm256_loadu_si256(source), weight));
            high = _mm256_add_epi16(high, _mm256_mulhi_epu16(_mm256_loadu_si256(source + 1), weight));
        }
        low = _mm256_srli_epi16(_mm256_add_epi16(low, bias), 8);
        high = _mm256_srli_epi16(_mm256_add_epi16(high, bias), 8);
        // packus interleaves 128-bit lanes (values 0-7, 16-23, 8-15, 24-31); put them back.
        const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(low, high), 0xD8);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + value), packed);
    }
    rowPassScalarTail(args, value);
}

} // namespace

void columnPassAvx2(const ColumnPassArgs& args) {
    switch (args.kernelSize) {
    case 3: columnPass<3>(args); break;
    case 5: columnPass<5>(args); break;
    case 7: columnPass<7>(args); break;
    default: columnPass<0>(args); break;
    }
}

bool columnPairAvx2(const ColumnPairArgs& args) {
    // The common sizes only: with the tap loops unrolled every weight and all four
    // accumulators stay in registers.
    // Stride 2 always splits even and odd pixels; stride 1 keeps the natural order.
    switch (args.kernelSize * 4 + args.stride) {
    case 3 * 4 + 1: columnPair<3, 1, false>(args); return true;
    case 3 * 4 + 2: columnPair<3, 2, true>(args); return true;
    case 5 * 4 + 1: columnPair<5, 1, false>(args); return true;
    case 5 * 4 + 2: columnPair<5, 2, true>(args); return true;
    case 7 * 4 + 1: columnPair<7, 1, false>(args); return true;
    case 7 * 4 + 2: columnPair<7, 2, true>(args); return true;
    default: return false;
    }
}

void rowPassAvx2(const RowPassArgs& args) {
    switch (args.kernelSize) {
    case 3: rowPass<3>(args); break;
    case 5: rowPass<5>(args); break;
    case 7: rowPass<7>(args); break;
    default: rowPass<0>(args); break;
    }
}

} // namespace blurcam::cpu
