// The spectrum view's numbers. Only magnitudeSpectrum() needs FFTW (src/fft/spectrum_fftw.cpp);
// the rest is here so a build without FFTW still shows the kernel's response.
#include "blurcam/spectrum.hpp"

#include "blurcam/kernel.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace blurcam {
namespace {

/// Real response of the symmetric 1-D kernel at each centred bin of an n-point grid.
std::vector<double> responseAlong(const std::vector<double>& weights, int length) {
    const int radius = static_cast<int>(weights.size()) / 2;
    std::vector<double> response(static_cast<std::size_t>(length));
    for (int column = 0; column < length; ++column) {
        const int bin = column - length / 2;
        double sum = 0.0;
        for (int offset = -radius; offset <= radius; ++offset) {
            // Reduce the phase in integers: exact for any length and offset.
            const long long phase = (static_cast<long long>(offset) * bin) % length;
            const int index = offset + radius;
            sum += weights[static_cast<std::size_t>(index)] *
                   std::cos(2.0 * std::numbers::pi * static_cast<double>(phase) / length);
        }
        response[static_cast<std::size_t>(column)] = sum;
    }
    return response;
}

} // namespace

FloatImage frameLuminance(const ImageView& frame) {
    FloatImage luminance{frame.width, frame.height, {}};
    luminance.values.resize(static_cast<std::size_t>(frame.width) * static_cast<std::size_t>(frame.height));
    for (int y = 0; y < frame.height; ++y) {
        const std::uint8_t* row = frame.row(y);
        for (int x = 0; x < frame.width; ++x) {
            const std::uint8_t* pixel = row + static_cast<std::size_t>(x) * 4;
            luminance.values[static_cast<std::size_t>(y) * frame.width + x] =
                0.299F * pixel[0] + 0.587F * pixel[1] + 0.114F * pixel[2];
        }
    }
    return luminance;
}

FloatImage logMagnitudeSpectrum(const ImageView& frame) {
    FloatImage spectrum = magnitudeSpectrum(frameLuminance(frame));
    for (float& value : spectrum.values) {
        value = std::log1p(value);
    }
    return spectrum;
}

GreyImage spectrumImage(const ImageView& frame) {
    const FloatImage spectrum = logMagnitudeSpectrum(frame);
    const float largest = *std::max_element(spectrum.values.begin(), spectrum.values.end());
    GreyImage image{spectrum.width, spectrum.height, std::vector<std::uint8_t>(spectrum.values.size(), 0)};
    if (largest > 0.0F) {
        const float scale = 255.0F / largest;
        for (std::size_t i = 0; i < spectrum.values.size(); ++i) {
            image.pixels[i] = static_cast<std::uint8_t>(std::min(255.0F, spectrum.values[i] * scale + 0.5F));
        }
    }
    return image;
}

FloatImage kernelResponse(const BlurParams& params, Size size) {
    validate(params);
    if (size.width < 1 || size.height < 1) {
        throw std::invalid_argument("invalid spectrum size " + std::to_string(size.width) + "x" +
                                    std::to_string(size.height) + ": must be at least 1x1");
    }
    // The 2-D kernel is the outer product of the 1-D one, so its response is the product of the
    // 1-D responses along each axis. Weights sum to 1, hence gain 1 at DC.
    const std::vector<double> weights = kernelWeights1D(params);
    const std::vector<double> horizontal = responseAlong(weights, size.width);
    const std::vector<double> vertical = responseAlong(weights, size.height);
    FloatImage response{size.width, size.height, {}};
    response.values.resize(static_cast<std::size_t>(size.width) * static_cast<std::size_t>(size.height));
    for (int y = 0; y < size.height; ++y) {
        for (int x = 0; x < size.width; ++x) {
            response.values[static_cast<std::size_t>(y) * size.width + x] =
                static_cast<float>(vertical[static_cast<std::size_t>(y)] * horizontal[static_cast<std::size_t>(x)]);
        }
    }
    return response;
}

GreyImage kernelResponseImage(const BlurParams& params, Size size) {
    const FloatImage response = kernelResponse(params, size);
    GreyImage image{size.width, size.height, std::vector<std::uint8_t>(response.values.size(), 0)};
    for (std::size_t i = 0; i < response.values.size(); ++i) {
        image.pixels[i] = static_cast<std::uint8_t>(std::min(255.0F, std::abs(response.values[i]) * 255.0F + 0.5F));
    }
    return image;
}

} // namespace blurcam
