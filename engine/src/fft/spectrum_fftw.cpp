#include "blurcam/spectrum.hpp"

#include "fftw_planner.hpp"

#include <complex>
#include <stdexcept>

namespace blurcam {

FloatImage magnitudeSpectrum(const FloatImage& image) {
    const int width = image.width;
    const int height = image.height;
    if (width < 1 || height < 1 || image.values.size() != static_cast<std::size_t>(width) * height) {
        throw std::invalid_argument("invalid image for a spectrum: " + std::to_string(width) + "x" +
                                    std::to_string(height) + " with " + std::to_string(image.values.size()) +
                                    " values");
    }
    // The exact frame size (no padding: padding would change which frequencies the bins are).
    // The plan is cached like the backend's, so a live view plans once per size.
    const fft::TransformShape shape{fft::TransformKind::Forward, height, width, 1};
    const fft::PlanPtr plan = fft::acquirePlan(shape);
    fft::FftwBuffer<float> input = fft::allocateFftw<float>(fft::realPlaneSize(shape));
    fft::FftwBuffer<fftwf_complex> output = fft::allocateFftw<fftwf_complex>(fft::complexPlaneSize(shape));
    std::copy(image.values.begin(), image.values.end(), input.get());
    fftwf_execute_dft_r2c(plan->handle, input.get(), output.get());

    const int storedColumns = width / 2 + 1;
    const auto* half = reinterpret_cast<const std::complex<float>*>(output.get()); // NOLINT: FFTW's documented layout
    FloatImage spectrum{width, height, std::vector<float>(static_cast<std::size_t>(width) * height)};
    for (int v = 0; v < height; ++v) {
        for (int u = 0; u < width; ++u) {
            // r2c stores u <= W/2; the rest is the conjugate mirror, same magnitude.
            const bool stored = u < storedColumns;
            const int row = stored ? v : (height - v) % height;
            const int column = stored ? u : width - u;
            const float magnitude = std::abs(half[static_cast<std::size_t>(row) * storedColumns + column]);
            const int x = (u + width / 2) % width;
            const int y = (v + height / 2) % height;
            spectrum.values[static_cast<std::size_t>(y) * width + x] = magnitude;
        }
    }
    return spectrum;
}

} // namespace blurcam
