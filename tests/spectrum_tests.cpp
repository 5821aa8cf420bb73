// The spectrum view's numbers: a frame's centred luminance spectrum and the kernel's response.
#include "test_images.hpp"

#include "blurcam/blurcam.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace blurcam {
namespace {

/// A grey frame holding 128 + 100 cos(2 pi k x / W) in R, G and B (so also in the luminance).
test::OwnedImage horizontalCosine(int width, int height, int cycles) {
    test::OwnedImage frame(width, height);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const double value = 128.0 + 100.0 * std::cos(2.0 * std::numbers::pi * cycles * x / width);
            const auto level = static_cast<std::uint8_t>(std::lround(value));
            std::uint8_t* pixel = frame.at(x, y);
            pixel[0] = pixel[1] = pixel[2] = level;
            pixel[3] = 255;
        }
    }
    return frame;
}

TEST(Spectrum, HorizontalCosinePeaksAtPlusAndMinusK) {
    for (auto [width, height, cycles] : {std::tuple{64, 48, 5}, std::tuple{75, 33, 11}, std::tuple{128, 1, 3}}) {
        SCOPED_TRACE(std::to_string(width) + "x" + std::to_string(height) + " k=" + std::to_string(cycles));
        const test::OwnedImage frame = horizontalCosine(width, height, cycles);
        const FloatImage spectrum = magnitudeSpectrum(frameLuminance(frame.view()));
        ASSERT_EQ(spectrum.width, width);
        ASSERT_EQ(spectrum.height, height);
        const int centreX = width / 2;
        const int centreY = height / 2;
        // Largest bin other than DC.
        int bestX = -1;
        int bestY = -1;
        float best = -1.0F;
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                if ((x != centreX || y != centreY) && spectrum.at(x, y) > best) {
                    best = spectrum.at(x, y);
                    bestX = x;
                    bestY = y;
                }
            }
        }
        EXPECT_EQ(bestY, centreY);
        EXPECT_TRUE(bestX == centreX + cycles || bestX == centreX - cycles) << "peak at column " << bestX;
        const float plus = spectrum.at(centreX + cycles, centreY);
        const float minus = spectrum.at(centreX - cycles, centreY);
        EXPECT_NEAR(plus, minus, 1e-4F * plus);
        // A cosine of amplitude A puts A*N/2 in each of its two bins; rounding to bytes costs little.
        const float expected = 100.0F * float(width * height) / 2.0F;
        EXPECT_NEAR(plus, expected, 0.01F * expected);
        const float dc = 128.0F * float(width * height);
        EXPECT_NEAR(spectrum.at(centreX, centreY), dc, 0.01F * dc);
        // Nothing else of note: every other bin is rounding noise.
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                if (y == centreY && (x == centreX || x == centreX + cycles || x == centreX - cycles)) {
                    continue;
                }
                ASSERT_LT(spectrum.at(x, y), 0.01F * expected) << "bin at (" << x << ", " << y << ")";
            }
        }
    }
}

TEST(Spectrum, GaussianResponseIsOneAtDcFallsWithFrequencyAndIsSymmetric) {
    BlurParams params;
    params.sigma = 2.0;
    params.kernelSize = 13;
    for (Size size : {Size{64, 48}, Size{65, 49}}) {
        const FloatImage response = kernelResponse(params, size);
        ASSERT_EQ(response.width, size.width);
        ASSERT_EQ(response.height, size.height);
        const int cx = size.width / 2;
        const int cy = size.height / 2;
        EXPECT_NEAR(response.at(cx, cy), 1.0F, 1e-6F);
        // Falls along both axes from DC outwards, through the main lobe; past it (below 1e-3) the
        // truncated kernel's response only ripples at that level.
        constexpr float kLobeEnd = 1e-3F;
        for (int u = 1; cx + u < size.width && response.at(cx + u - 1, cy) > kLobeEnd; ++u) {
            EXPECT_LT(response.at(cx + u, cy), response.at(cx + u - 1, cy)) << "u " << u;
        }
        for (int v = 1; cy + v < size.height && response.at(cx, cy + v - 1) > kLobeEnd; ++v) {
            EXPECT_LT(response.at(cx, cy + v), response.at(cx, cy + v - 1)) << "v " << v;
        }
        EXPECT_LT(response.at(cx + 5, cy + 5), response.at(cx + 4, cy + 4));
        // Symmetric in u and v, and between the axes where the grids agree.
        for (int v = -(size.height - 1) / 2; v <= (size.height - 1) / 2; ++v) {
            for (int u = -(size.width - 1) / 2; u <= (size.width - 1) / 2; ++u) {
                const float here = response.at(cx + u, cy + v);
                ASSERT_NEAR(here, response.at(cx - u, cy + v), 1e-6F);
                ASSERT_NEAR(here, response.at(cx + u, cy - v), 1e-6F);
                ASSERT_GE(here, -kLobeEnd);
                ASSERT_LE(here, 1.0F + 1e-6F);
                // The continuous Gaussian's transform, exp(-2 pi^2 sigma^2 f^2), up to the ripple
                // that truncating at K leaves.
                const double fu = double(u) / size.width;
                const double fv = double(v) / size.height;
                const double continuous = std::exp(-2.0 * std::numbers::pi * std::numbers::pi * params.sigma *
                                                   params.sigma * (fu * fu + fv * fv));
                ASSERT_NEAR(here, continuous, 5e-3) << "(" << u << ", " << v << ")";
            }
        }
    }
}

TEST(Spectrum, BinomialResponseHasItsClosedForm) {
    // [1 4 6 4 1]/16 = ((1 + z)/2)^4 shifted: its response is cos^4(pi f) per axis.
    BlurParams params;
    params.kernel = KernelKind::Binomial;
    const Size size{40, 30};
    const FloatImage response = kernelResponse(params, size);
    for (int y = 0; y < size.height; ++y) {
        for (int x = 0; x < size.width; ++x) {
            const double fu = double(x - size.width / 2) / size.width;
            const double fv = double(y - size.height / 2) / size.height;
            const double expected =
                std::pow(std::cos(std::numbers::pi * fu), 4) * std::pow(std::cos(std::numbers::pi * fv), 4);
            ASSERT_NEAR(response.at(x, y), expected, 1e-6) << x << ", " << y;
        }
    }
}

/// Root mean square over all bins of |blurred| - |input| x |response|.
double spectrumMismatch(const FloatImage& blurred, const FloatImage& input, const FloatImage& response) {
    double sum = 0.0;
    for (std::size_t i = 0; i < input.values.size(); ++i) {
        const double difference = blurred.values[i] - input.values[i] * std::abs(response.values[i]);
        sum += difference * difference;
    }
    return std::sqrt(sum / double(input.values.size()));
}

TEST(Spectrum, WrapBlurInFloatIsInputTimesResponse) {
    // Circular blur of the luminance in double, no rounding: the product holds to float error.
    const Size size{60, 45};
    const test::OwnedImage frame = test::makeTestImage(size.width, size.height, 12);
    const FloatImage luminance = frameLuminance(frame.view());
    BlurParams params;
    params.sigma = 1.7;
    params.kernelSize = 11;
    params.stride = 1;
    params.edge = EdgeMode::Wrap;
    const std::vector<double> weights = kernelWeights2D(params);
    const int radius = params.kernelSize / 2;
    FloatImage blurred{size.width, size.height, std::vector<float>(luminance.values.size())};
    for (int y = 0; y < size.height; ++y) {
        for (int x = 0; x < size.width; ++x) {
            double sum = 0.0;
            for (int a = -radius; a <= radius; ++a) {
                for (int b = -radius; b <= radius; ++b) {
                    const int sy = foldCoordinate(y + a, size.height, EdgeMode::Wrap);
                    const int sx = foldCoordinate(x + b, size.width, EdgeMode::Wrap);
                    sum += weights[static_cast<std::size_t>((a + radius) * params.kernelSize + b + radius)] *
                           luminance.at(sx, sy);
                }
            }
            blurred.values[static_cast<std::size_t>(y) * size.width + x] = static_cast<float>(sum);
        }
    }
    const FloatImage inputSpectrum = magnitudeSpectrum(luminance);
    const FloatImage blurredSpectrum = magnitudeSpectrum(blurred);
    const FloatImage response = kernelResponse(params, size);
    const float dc = inputSpectrum.at(size.width / 2, size.height / 2);
    for (std::size_t i = 0; i < inputSpectrum.values.size(); ++i) {
        ASSERT_NEAR(blurredSpectrum.values[i], inputSpectrum.values[i] * std::abs(response.values[i]), 2e-6F * dc)
            << "bin " << i;
    }
}

TEST(Spectrum, WrapBlurredFrameSpectrumIsInputTimesResponse) {
    // Through the real backends: each output byte is within 0.5 (FFT) or 1 (CPU) of the exact
    // blur, so by Parseval the spectra may differ by at most that x sqrt(N) in RMS over the bins.
    // A response for a different sigma must miss that bound by far, or the test proves nothing.
    const Size size{96, 71};
    const test::OwnedImage frame = test::makeTestImage(size.width, size.height, 13);
    BlurParams params;
    params.sigma = 2.2;
    params.kernelSize = 15;
    params.stride = 1;
    params.edge = EdgeMode::Wrap;
    const FloatImage inputSpectrum = magnitudeSpectrum(frameLuminance(frame.view()));
    const double rootN = std::sqrt(double(size.width) * size.height);
    for (auto [kind, allowedError] : {std::pair{BackendKind::Fft, 0.5}, std::pair{BackendKind::Cpu, 1.0}}) {
        SCOPED_TRACE(std::string(toString(kind)));
        const auto backend = createBackend(kind).backend;
        ASSERT_TRUE(backend);
        test::OwnedImage blurred = test::makeOutputFor(frame, 1);
        backend->process(frame.view(), blurred.mutableView(), params);
        const FloatImage blurredSpectrum = magnitudeSpectrum(frameLuminance(blurred.view()));
        const double bound = allowedError * rootN * 1.01;
        EXPECT_LE(spectrumMismatch(blurredSpectrum, inputSpectrum, kernelResponse(params, size)), bound);
        BlurParams wrong = params;
        wrong.sigma = 4.0;
        EXPECT_GT(spectrumMismatch(blurredSpectrum, inputSpectrum, kernelResponse(wrong, size)), 3.0 * bound);
    }
}

TEST(Spectrum, ImagesForTheView) {
    const test::OwnedImage frame = test::makeTestImage(50, 38, 14);
    const GreyImage spectrum = spectrumImage(frame.view());
    ASSERT_EQ(spectrum.width, 50);
    ASSERT_EQ(spectrum.height, 38);
    ASSERT_EQ(spectrum.pixels.size(), 50U * 38U);
    // A frame of non-negative values has its largest magnitude at DC.
    EXPECT_EQ(spectrum.at(25, 19), 255);
    const FloatImage logSpectrum = logMagnitudeSpectrum(frame.view());
    const FloatImage linear = magnitudeSpectrum(frameLuminance(frame.view()));
    for (std::size_t i = 0; i < linear.values.size(); ++i) {
        ASSERT_NEAR(logSpectrum.values[i], std::log1p(linear.values[i]), 1e-5F);
    }

    BlurParams params;
    params.sigma = 3.0;
    params.kernelSize = 19;
    const GreyImage response = kernelResponseImage(params, {50, 38});
    EXPECT_EQ(response.at(25, 19), 255);
    EXPECT_LT(response.at(0, 0), 5);
}

TEST(Spectrum, RejectsBadInput) {
    EXPECT_THROW((void)kernelResponse(BlurParams{}, {0, 4}), std::invalid_argument);
    BlurParams bad;
    bad.sigma = -1.0;
    EXPECT_THROW((void)kernelResponse(bad, {4, 4}), std::invalid_argument);
    EXPECT_THROW((void)magnitudeSpectrum(FloatImage{3, 3, std::vector<float>(8)}), std::invalid_argument);
}

} // namespace
} // namespace blurcam
