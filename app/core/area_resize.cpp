#include "area_resize.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace blurcam::app {
namespace {

constexpr int kWeightBits = 14;
constexpr std::uint32_t kWeightOne = 1U << kWeightBits;
constexpr int kRowShift = kWeightBits - 7; // vertical sums kept in Q7

} // namespace

bool AreaResizer::handles(Size source, Size destination) {
    return source.width > 0 && source.height > 0 && destination.width > 0 && destination.height > 0 &&
           destination.width <= source.width && destination.height <= source.height;
}

void AreaResizer::Axis::build(int source, int destination) {
    if (source == sourceSize && destination == destinationSize) {
        return;
    }
    sourceSize = source;
    destinationSize = destination;
    first.assign(static_cast<std::size_t>(destination), 0);
    count.assign(static_cast<std::size_t>(destination), 0);
    offset.assign(static_cast<std::size_t>(destination), 0);
    weights.clear();
    // The same spans and cut-offs as OpenCV's computeResizeAreaTab (resize.cpp), scale computed
    // the way cv::resize does (1 / (dsize / ssize)), so partial pixels fall where OpenCV's fall.
    const double scale = 1.0 / (static_cast<double>(destination) / source);
    std::vector<double> exact;
    for (int d = 0; d < destination; ++d) {
        const double f1 = d * scale;
        const double f2 = f1 + scale;
        const double cell = std::min(scale, source - f1);
        int s1 = static_cast<int>(std::ceil(f1));
        int s2 = static_cast<int>(std::floor(f2));
        s2 = std::min(s2, source - 1);
        s1 = std::min(s1, s2);
        exact.clear();
        int start = s1;
        if (s1 - f1 > 1e-3) {
            start = s1 - 1;
            exact.push_back((s1 - f1) / cell);
        }
        for (int s = s1; s < s2; ++s) {
            exact.push_back(1.0 / cell);
        }
        if (f2 - s2 > 1e-3) {
            exact.push_back(std::min(std::min(f2 - s2, 1.0), cell) / cell);
        }
        first[static_cast<std::size_t>(d)] = start;
        count[static_cast<std::size_t>(d)] = static_cast<int>(exact.size());
        offset[static_cast<std::size_t>(d)] = static_cast<int>(weights.size());
        // Round each weight, then give the rounding remainder to the largest so the sum is exact
        // (a flat area stays flat, white stays 255).
        std::uint32_t sum = 0;
        std::size_t largest = weights.size();
        for (const double w : exact) {
            const auto q = static_cast<std::uint32_t>(std::lround(w * kWeightOne));
            if (weights.size() == largest || q > weights[largest]) {
                largest = weights.size();
            }
            weights.push_back(q);
            sum += q;
        }
        weights[largest] += kWeightOne - sum;
    }
    // The same weights padded with zeros to one even tap count for the whole axis, packed two to
    // a 32-bit word: the horizontal pass multiplies pairs of taps with one pmaddwd. Spans that
    // run past the source's end read zero-weighted padding (see m_sums).
    taps = *std::max_element(count.begin(), count.end());
    taps += taps % 2;
    pairWeights.assign(static_cast<std::size_t>(destination) * static_cast<std::size_t>(taps / 2), 0U);
    for (std::size_t d = 0; d < static_cast<std::size_t>(destination); ++d) {
        for (int k = 0; k < count[d]; ++k) {
            const std::uint32_t w = weights[static_cast<std::size_t>(offset[d]) + static_cast<std::size_t>(k)];
            pairWeights[d * static_cast<std::size_t>(taps / 2) + static_cast<std::size_t>(k / 2)] |= w
                                                                                                     << (16 * (k % 2));
        }
    }
}

namespace {

// The vertical pass is a plain loop the compiler vectorises; target_clones builds it for AVX2 too
// (32-bit multiplies eight at a time) and picks at load time, since the package is built for
// baseline x86-64. Not under ThreadSanitizer: the clones' resolver runs while the program is being
// loaded, before TSan's runtime is up, and crashes it.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__SANITIZE_THREAD__)
#define BLURCAM_AREA_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define BLURCAM_AREA_CLONES
#endif

// sums[i] = sum_k rows[k][i] * weights[k] in Q7 (rounded; at most 255 << 7, so it fits the
// signed 16-bit lanes of the horizontal pass), for `values` bytes.
BLURCAM_AREA_CLONES void verticalPass(const std::uint8_t* const* rows, const std::uint32_t* weights, int n,
                                      std::uint32_t* acc, std::int16_t* sums, std::size_t values) {
    constexpr std::uint32_t half = 1U << (kRowShift - 1);
    for (std::size_t i = 0; i < values; ++i) {
        acc[i] = rows[0][i] * weights[0] + half;
    }
    for (int k = 1; k < n; ++k) {
        const std::uint8_t* row = rows[k];
        const std::uint32_t w = weights[k];
        for (std::size_t i = 0; i < values; ++i) {
            acc[i] += row[i] * w;
        }
    }
    for (std::size_t i = 0; i < values; ++i) {
        sums[i] = static_cast<std::int16_t>(acc[i] >> kRowShift);
    }
}

// One output row from the vertical sums (Q7, four channels per pixel): for each output pixel,
// taps source pixels (even) with weights packed in pairs.
void horizontalPass(const std::int16_t* sums, const int* first, const std::uint32_t* pairWeights, int taps, int width,
                    std::uint8_t* out) {
    constexpr int shift = kWeightBits + 7;
    const int pairs = taps / 2;
#if defined(__SSE2__)
    const __m128i half = _mm_set1_epi32(1 << (shift - 1));
    for (int d = 0; d < width; ++d, pairWeights += pairs, out += 4) {
        const std::int16_t* p = sums + static_cast<std::ptrdiff_t>(first[d]) * 4;
        __m128i acc = half;
        for (int j = 0; j < pairs; ++j, p += 8) {
            // [a0 b0 a1 b1 a2 b2 a3 b3] for pixels a, b: one pmaddwd gives a_c * wa + b_c * wb.
            const __m128i two = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i interleaved = _mm_unpacklo_epi16(two, _mm_unpackhi_epi64(two, two));
            acc = _mm_add_epi32(acc, _mm_madd_epi16(interleaved, _mm_set1_epi32(static_cast<int>(pairWeights[j]))));
        }
        const __m128i words = _mm_packs_epi32(_mm_srai_epi32(acc, shift), _mm_setzero_si128());
        const int packed = _mm_cvtsi128_si32(_mm_packus_epi16(words, words));
        std::memcpy(out, &packed, 4);
    }
#else
    for (int d = 0; d < width; ++d, pairWeights += pairs, out += 4) {
        const std::int16_t* p = sums + static_cast<std::ptrdiff_t>(first[d]) * 4;
        std::int32_t px[4] = {1 << (shift - 1), 1 << (shift - 1), 1 << (shift - 1), 1 << (shift - 1)};
        for (int k = 0; k < taps; ++k) {
            const auto w = static_cast<std::int32_t>((pairWeights[k / 2] >> (16 * (k % 2))) & 0xffffU);
            for (int c = 0; c < 4; ++c) {
                px[c] += p[k * 4 + c] * w;
            }
        }
        for (int c = 0; c < 4; ++c) {
            out[c] = static_cast<std::uint8_t>(std::min(px[c] >> shift, 255));
        }
    }
#endif
}

} // namespace

void AreaResizer::resize(const ImageView& src, const MutableImageView& dst) {
    if (src.data == nullptr || dst.data == nullptr || !handles(src.size(), dst.size())) {
        throw std::invalid_argument("AreaResizer::resize: needs non-empty frames, shrinking on both axes");
    }
    m_x.build(src.width, dst.width);
    m_y.build(src.height, dst.height);
    // Vertical first: it runs over whole source rows (long, vectorisable loops), and leaves the
    // scalar-ish horizontal pass only the destination's rows.
    const auto values = static_cast<std::size_t>(src.width) * 4;
    // Zeros past the row's end for the padded taps of the last output pixels (weight 0 there).
    m_sums.assign(values + static_cast<std::size_t>(m_x.taps) * 4, 0);
    m_accumulator.resize(values);
    for (int d = 0; d < dst.height; ++d) {
        const int start = m_y.first[static_cast<std::size_t>(d)];
        const int n = m_y.count[static_cast<std::size_t>(d)];
        m_rowPointers.resize(static_cast<std::size_t>(std::max(n, 1)));
        for (int k = 0; k < n; ++k) {
            m_rowPointers[static_cast<std::size_t>(k)] = src.row(start + k);
        }
        verticalPass(m_rowPointers.data(), m_y.weights.data() + m_y.offset[static_cast<std::size_t>(d)], n,
                     m_accumulator.data(), m_sums.data(), values);
        horizontalPass(m_sums.data(), m_x.first.data(), m_x.pairWeights.data(), m_x.taps, dst.width, dst.row(d));
    }
}

} // namespace blurcam::app
