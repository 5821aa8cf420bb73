#include "row_kernels.hpp"

#include <cstddef>

#include <emmintrin.h>

namespace blurcam::cpu {

// 16 values (4 pixels) per step: unpacking with zero in the low byte gives value*256 per lane.
void columnPassSse2(const ColumnPassArgs& args) {
    const __m128i zero = _mm_setzero_si128();
    int x = 0;
    for (; x + 4 <= args.pixelCount; x += 4) {
        __m128i low = zero;  // pixels x, x+1
        __m128i high = zero; // pixels x+2, x+3
        for (int tap = 0; tap < args.kernelSize; ++tap) {
            const __m128i weight = _mm_set1_epi16(static_cast<short>(args.taps[tap]));
            const __m128i pixels =
                _mm_loadu_si128(reinterpret_cast<const __m128i*>(args.rows[tap] + std::ptrdiff_t{4} * x));
            low = _mm_add_epi16(low, _mm_mulhi_epu16(_mm_unpacklo_epi8(zero, pixels), weight));
            high = _mm_add_epi16(high, _mm_mulhi_epu16(_mm_unpackhi_epi8(zero, pixels), weight));
        }
        if (args.outOdd == nullptr) {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(args.out + std::ptrdiff_t{4} * x), low);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(args.out + std::ptrdiff_t{4} * x + 8), high);
        } else {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(args.out + std::ptrdiff_t{2} * x),
                             _mm_unpacklo_epi64(low, high));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(args.outOdd + std::ptrdiff_t{2} * x),
                             _mm_unpackhi_epi64(low, high));
        }
    }
    columnPassScalarTail(args, x);
}

void rowPassSse2(const RowPassArgs& args) {
    const __m128i bias = _mm_set1_epi16(static_cast<short>(args.roundingBias));
    int value = 0;
    for (; value + 16 <= args.valueCount; value += 16) {
        __m128i low = _mm_setzero_si128();
        __m128i high = _mm_setzero_si128();
        for (int tap = 0; tap < args.kernelSize; ++tap) {
            const __m128i weight = _mm_set1_epi16(static_cast<short>(args.taps[tap]));
            const auto* source = reinterpret_cast<const __m128i*>(args.tapRows[tap] + value);
            low = _mm_add_epi16(low, _mm_mulhi_epu16(_mm_loadu_si128(source), weight));
            high = _mm_add_epi16(high, _mm_mulhi_epu16(_mm_loadu_si128(source + 1), weight));
        }
        low = _mm_srli_epi16(_mm_add_epi16(low, bias), 8);
        high = _mm_srli_epi16(_mm_add_epi16(high, bias), 8);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(args.out + value), _mm_packus_epi16(low, high));
    }
    rowPassScalarTail(args, value);
}

} // namespace blurcam::cpu
