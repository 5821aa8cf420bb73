#pragma once
// Numbers for a spectrum view beside the video: what frequencies a frame holds, and how much of
// each the current kernel lets through. Plain images, no Qt: the GUI wraps them in QImages.
//
// Layout of every spectrum image here: centred, the way spectra are usually shown. Frequency
// bin (u, v) (cycles per frame width / height) sits at pixel (u + W/2, v + H/2) with integer
// division, so DC is at (W/2, H/2), u runs over -W/2 .. (W-1)/2, and for even W the Nyquist bin
// -W/2 is column 0.

#include "blurcam/image.hpp"
#include "blurcam/params.hpp"

#include <cstdint>
#include <vector>

namespace blurcam {

/// 8-bit grey image, row-major, no row padding.
struct GreyImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;

    [[nodiscard]] std::uint8_t at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

/// Float image, row-major, no row padding.
struct FloatImage {
    int width = 0;
    int height = 0;
    std::vector<float> values;

    [[nodiscard]] float at(int x, int y) const { return values[static_cast<std::size_t>(y) * width + x]; }
};

/// Luminance 0.299 R + 0.587 G + 0.114 B (Rec. 601 luma, 0..255), alpha ignored.
[[nodiscard]] FloatImage frameLuminance(const ImageView& frame);

/// |DFT| of a real image, unnormalised (the DC bin is the sum of all values), centred as above.
/// Needs FFTW (std::runtime_error in a build without it).
[[nodiscard]] FloatImage magnitudeSpectrum(const FloatImage& image);

/// log(1 + |DFT|) of the frame's luminance, centred: the float version of spectrumImage().
[[nodiscard]] FloatImage logMagnitudeSpectrum(const ImageView& frame);

/// The frame's centred log-magnitude luminance spectrum scaled so its largest value is 255.
[[nodiscard]] GreyImage spectrumImage(const ImageView& frame);

/// The kernel's frequency response sampled on a size.width x size.height grid of frequencies
/// (the gain a `wrap` blur of a frame that size applies to each bin), centred, gain 1 at DC.
/// Real because the kernels are symmetric; it can dip below 0 for a truncated wide Gaussian.
/// Throws std::invalid_argument for invalid params or size.
[[nodiscard]] FloatImage kernelResponse(const BlurParams& params, Size size);

/// |kernelResponse| x 255, rounded: white where the kernel passes a frequency, black where it
/// removes it.
[[nodiscard]] GreyImage kernelResponseImage(const BlurParams& params, Size size);

} // namespace blurcam
