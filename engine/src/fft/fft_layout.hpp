#pragma once
// Where a frame goes inside the transform buffer, shared by the backend and planFftSizes() so
// that planning ahead makes exactly the transforms a frame will use.

#include "blurcam/image.hpp"
#include "blurcam/params.hpp"

#include <compare>
#include <string>

namespace blurcam::fft {

enum class TransformKind { Forward, Inverse }; ///< r2c, c2r

/// One batched 2-D transform: `count` planes of rows x columns real samples.
struct TransformShape {
    TransformKind kind = TransformKind::Forward;
    int rows = 0;
    int columns = 0;
    int count = 0;
    // clang-tidy 14 reports the literal 0 its own expansion of a defaulted <=> compares against.
    friend auto operator<=>(const TransformShape&, const TransformShape&) = default; // NOLINT(modernize-use-nullptr)
};

/// Smallest n' >= n whose only prime factors are 2, 3, 5 and 7 (FFTW's fast codelets).
[[nodiscard]] int nextSmoothSize(int n);

struct Layout {
    int radius = 0;         ///< K/2: the frame is extended by this on each side with its own edge rule
    int extendedWidth = 0;  ///< W + 2r
    int extendedHeight = 0; ///< H + 2r
    int paddedWidth = 0;    ///< transform size >= extendedWidth, smooth (even for stride 2)
    int paddedHeight = 0;
    int stride = 1;

    [[nodiscard]] TransformShape forward() const;
    /// The inverse runs at 1/stride of the padded size in each direction (see fft_backend.cpp).
    [[nodiscard]] TransformShape inverse() const;
};

[[nodiscard]] Layout layoutFor(Size frame, const BlurParams& params);

/// "not enough memory for a 16384x16384 FFT (a 16000x16000 frame)": what running out of memory
/// means to a user, instead of std::bad_alloc.
[[nodiscard]] std::string notEnoughMemorySentence(const Layout& layout);

} // namespace blurcam::fft
