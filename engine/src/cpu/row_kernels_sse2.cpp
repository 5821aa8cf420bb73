#include "row_kernels.hpp"

#include <emmintrin.h>

namespace blurcam::cpu {

void columnPassSse2(const ColumnPassArgs& args) {
    const __m128i zero = _mm_setzero_si128();
    int value = 0;
    for (; value + 16 <= args.valueCount; value += 16) {
        __m128i sumLow = zero;
        __m128i sumHigh = zero;
        for (int tap = 0; tap < args.kernelSize; ++tap) {
            if (args.rows[tap] == nullptr) {
                continue;
            }
            const __m128i weight = _mm_set1_epi16(static_cast<short>(args.taps[tap]));
            const __m128i pixels = _mm_loadu_si128(reinterpret_cast<const __m128i*>(args.rows[tap] + value));
            // Unpacking with zero in the low byte gives value*256 in each 16-bit lane.
            sumLow = _mm_add_epi16(sumLow, _mm_mulhi_epu16(_mm_unpacklo_epi8(zero, pixels), weight));
            sumHigh = _mm_add_epi16(sumHigh, _mm_mulhi_epu16(_mm_unpackhi_epi8(zero, pixels), weight));
        }
        _mm_storeu_si128(reinterpret_cast<__m128i*>(args.out + value), sumLow);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(args.out + value + 8), sumHigh);
    }
    if (value < args.valueCount) {
        const std::uint8_t* rows[64];
        for (int tap = 0; tap < args.kernelSize; ++tap) {
            rows[tap] = args.rows[tap] != nullptr ? args.rows[tap] + value : nullptr;
        }
        columnPassScalar({rows, args.taps, args.kernelSize, args.valueCount - value, args.out + value});
    }
}

namespace {

inline __m128i load(const std::uint16_t* pixel) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(pixel)); }

} // namespace

void rowPassSse2(const RowPassArgs& args) {
    const __m128i bias = _mm_set1_epi16(static_cast<short>(args.roundingBias));
    int x = 0;
    // Four output pixels per step, as two registers of two pixels (4 x uint16 each).
    for (; x + 4 <= args.outWidth; x += 4) {
        __m128i sum[2] = {_mm_setzero_si128(), _mm_setzero_si128()};
        for (int half = 0; half < 2; ++half) {
            const std::uint16_t* first = args.extended + static_cast<std::ptrdiff_t>(x + 2 * half) * args.stride * 4;
            if (args.stride == 1) {
                for (int tap = 0; tap < args.kernelSize; ++tap) {
                    const __m128i weight = _mm_set1_epi16(static_cast<short>(args.taps[tap]));
                    sum[half] = _mm_add_epi16(sum[half], _mm_mulhi_epu16(load(first + tap * 4), weight));
                }
            } else {
                // Stride 2: A holds pixels t, t+1 and B holds t+2, t+3; their low halves are the
                // two outputs' samples for tap t, their high halves for tap t+1.
                for (int tap = 0; tap < args.kernelSize; tap += 2) {
                    const __m128i a = load(first + tap * 4);
                    const __m128i b = load(first + tap * 4 + 8);
                    const __m128i weight = _mm_set1_epi16(static_cast<short>(args.taps[tap]));
                    sum[half] = _mm_add_epi16(sum[half], _mm_mulhi_epu16(_mm_unpacklo_epi64(a, b), weight));
                    if (tap + 1 < args.kernelSize) {
                        const __m128i next = _mm_set1_epi16(static_cast<short>(args.taps[tap + 1]));
                        sum[half] = _mm_add_epi16(sum[half], _mm_mulhi_epu16(_mm_unpackhi_epi64(a, b), next));
                    }
                }
            }
        }
        const __m128i low = _mm_srli_epi16(_mm_add_epi16(sum[0], bias), 8);
        const __m128i high = _mm_srli_epi16(_mm_add_epi16(sum[1], bias), 8);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(args.out + x * 4), _mm_packus_epi16(low, high));
    }
    if (x < args.outWidth) {
        rowPassScalar({args.extended + static_cast<std::ptrdiff_t>(x) * args.stride * 4, args.taps, args.kernelSize,
                       args.stride, args.outWidth - x, args.roundingBias, args.out + x * 4});
    }
}

} // namespace blurcam::cpu
