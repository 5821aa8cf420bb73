#pragma once
// The blur parameters and the one place they are checked.

#include "blurcam/image.hpp"
#include "blurcam/limits.hpp"
#include "blurcam/named_values.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace blurcam {

/// How samples outside the frame are made up. Pictures use OpenCV's notation: the frame is
/// `abcd`, what lies left of `|` is invented.
enum class EdgeMode {
    Zero,    ///< `000|abcd|000`  zero padding, Nx `padding: :same` (the notebook's behaviour)
    Clamp,   ///< `aaa|abcd|ddd`  nearest edge pixel, BORDER_REPLICATE (default)
    Mirror,  ///< `dcb|abcd|cba`  edge not repeated, BORDER_REFLECT_101 (cv::pyrDown's border)
    Reflect, ///< `cba|abcd|dcb`  edge repeated, BORDER_REFLECT
    Wrap,    ///< `bcd|abcd|abc`  periodic, BORDER_WRAP
};

enum class KernelKind {
    Gaussian, ///< exp(-(a^2+b^2)/(2 sigma^2)) on a K x K grid, normalised to sum 1
    Binomial, ///< the pyramid kernel [1 4 6 4 1]/16 in each direction (K must be 5)
};

/// Every edge mode, in the order help texts and menus list them.
inline constexpr std::array<NamedValue<EdgeMode>, 5> kEdgeModes{{
    {EdgeMode::Zero, "zero", "Zero", "000|abcd|000  zero padding"},
    {EdgeMode::Clamp, "clamp", "Clamp", "aaa|abcd|ddd  nearest pixel"},
    {EdgeMode::Mirror, "mirror", "Mirror", "dcb|abcd|cba  mirror"},
    {EdgeMode::Reflect, "reflect", "Reflect", "cba|abcd|dcb  reflect"},
    {EdgeMode::Wrap, "wrap", "Wrap", "bcd|abcd|abc  wrap around"},
}};

inline constexpr std::array<NamedValue<KernelKind>, 2> kKernelKinds{{
    {KernelKind::Gaussian, "gaussian", "Gaussian", "exp(-(a^2+b^2)/(2 sigma^2)), K x K, normalised"},
    {KernelKind::Binomial, "binomial", "Binomial [1 4 6 4 1]", "[1 4 6 4 1]/16 in each direction, K = 5"},
}};

struct BlurParams {
    double sigma = 1.0;
    KernelKind kernel = KernelKind::Gaussian;
    int kernelSize = kDefaultKernelSize; ///< K, odd, 1..kMaxKernelSize
    int stride = 2;                      ///< 1 or 2; output (i, j) is centred on input (stride*i, stride*j)
    EdgeMode edge = EdgeMode::Clamp;

    friend bool operator==(const BlurParams&, const BlurParams&) = default;
};

/// Throws std::invalid_argument naming the parameter and the value given.
void validate(const BlurParams& params);

/// Checks params, both frames and that dst is exactly outputSize(src); throws std::invalid_argument.
void validate(const ImageView& src, const MutableImageView& dst, const BlurParams& params);

/// Nx `padding: :same` with strides: ceil(W/s) x ceil(H/s).
[[nodiscard]] Size outputSize(Size input, int stride);

/// "auto" kernel size for a sigma: 2*ceil(3*sigma)+1, capped at kMaxKernelSize.
[[nodiscard]] int autoKernelSize(double sigma);

/// Names from kEdgeModes / kKernelKinds ("unknown" for a value outside them).
[[nodiscard]] std::string_view toString(EdgeMode mode);
[[nodiscard]] std::string_view toString(KernelKind kind);
[[nodiscard]] std::optional<EdgeMode> parseEdgeMode(std::string_view text);
[[nodiscard]] std::optional<KernelKind> parseKernelKind(std::string_view text);

/// Maps a possibly out-of-range coordinate into [0, length) by the edge rule, folding as many
/// times as needed (a 1x1 frame with K = 63 folds 31 times). Returns -1 for Zero outside.
[[nodiscard]] int foldCoordinate(int coordinate, int length, EdgeMode mode);

} // namespace blurcam
