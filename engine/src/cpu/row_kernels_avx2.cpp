// Compiled with -mavx2; only called after the CPU reported AVX2 at run time.
#include "row_kernels.hpp"

#include <immintrin.h>

namespace blurcam::cpu {

void columnPassAvx2(const ColumnPassArgs& args) {
    const __m256i zero = _mm256_setzero_si256();
    int value = 0;
    for (; value + 32 <= args.valueCount; value += 32) {
        __m256i sumLow = zero;
        __m256i sumHigh = zero;
        for (int tap = 0; tap < args.kernelSize; ++tap) {
            if (args.rows[tap] == nullptr) {
                continue;
            }
            const __m256i weight = _mm256_set1_epi16(static_cast<short>(args.taps[tap]));
            const __m256i pixels = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(args.rows[tap] + value));
            // value*256 per lane; unpack works within 128-bit lanes, undone by the permutes below.
            sumLow = _mm256_add_epi16(sumLow, _mm256_mulhi_epu16(_mm256_unpacklo_epi8(zero, pixels), weight));
            sumHigh = _mm256_add_epi16(sumHigh, _mm256_mulhi_epu16(_mm256_unpackhi_epi8(zero, pixels), weight));
        }
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(args.out + value), _mm256_permute2x128_si256(sumLow, sumHigh, 0x20));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(args.out + value + 16),
                            _mm256_permute2x128_si256(sumLow, sumHigh, 0x31));
    }
    if (value < args.valueCount) {
        const std::uint8_t* rows[64];
        for (int tap = 0; tap < args.kernelSize; ++tap) {
            rows[tap] = args.rows[tap] != nullptr ? args.rows[tap] + value : nullptr;
        }
        columnPassSse2({rows, args.taps, args.kernelSize, args.valueCount - value, args.out + value});
    }
}

namespace {

inline __m256i load(const std::uint16_t* pixel) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(pixel));
}

} // namespace

void rowPassAvx2(const RowPassArgs& args) {
    const __m256i bias = _mm256_set1_epi16(static_cast<short>(args.roundingBias));
    int x = 0;
    // Eight output pixels per step, as two registers of four pixels (4 x uint16 each).
    for (; x + 8 <= args.outWidth; x += 8) {
        __m256i sum[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
        for (int half = 0; half < 2; ++half) {
            const std::uint16_t* first = args.extended + static_cast<std::ptrdiff_t>(x + 4 * half) * args.stride * 4;
            if (args.stride == 1) {
                for (int tap = 0; tap < args.kernelSize; ++tap) {
                    const __m256i weight = _mm256_set1_epi16(static_cast<short>(args.taps[tap]));
                    sum[half] = _mm256_add_epi16(sum[half], _mm256_mulhi_epu16(load(first + tap * 4), weight));
                }
            } else {
                // Stride 2: A = pixels t..t+3, B = t+4..t+7. The in-lane 64-bit unpacks give the
                // samples of tap t (low) and t+1 (high) for outputs in the order 0, 2, 1, 3;
                // every tap shares that order, so one permute at the end puts it right.
                for (int tap = 0; tap < args.kernelSize; tap += 2) {
                    const __m256i a = load(first + tap * 4);
                    const __m256i b = load(first + tap * 4 + 16);
                    const __m256i weight = _mm256_set1_epi16(static_cast<short>(args.taps[tap]));
                    sum[half] = _mm256_add_epi16(sum[half], _mm256_mulhi_epu16(_mm256_unpacklo_epi64(a, b), weight));
                    if (tap + 1 < args.kernelSize) {
                        const __m256i next = _mm256_set1_epi16(static_cast<short>(args.taps[tap + 1]));
                        sum[half] = _mm256_add_epi16(sum[half], _mm256_mulhi_epu16(_mm256_unpackhi_epi64(a, b), next));
                    }
                }
            }
        }
        const __m256i low = _mm256_srli_epi16(_mm256_add_epi16(sum[0], bias), 8);
        const __m256i high = _mm256_srli_epi16(_mm256_add_epi16(sum[1], bias), 8);
        // packus interleaves 128-bit lanes: pixels come out as 0 1 4 5 2 3 6 7 (stride 1) or,
        // with the stride-2 order on top, 0 2 4 6 1 3 5 7.
        const __m256i order = args.stride == 1 ? _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7)
                                               : _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
        const __m256i packed = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(low, high), order);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(args.out + x * 4), packed);
    }
    if (x < args.outWidth) {
        rowPassSse2({args.extended + static_cast<std::ptrdiff_t>(x) * args.stride * 4, args.taps, args.kernelSize,
                     args.stride, args.outWidth - x, args.roundingBias, args.out + x * 4});
    }
}

} // namespace blurcam::cpu
