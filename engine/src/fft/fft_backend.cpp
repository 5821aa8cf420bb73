#include "fft_backend.hpp"

#include "backend_registry.hpp"
#include "blurcam/kernel.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

// How a frame is convolved here.
//
// Edges. Every edge mode, wrap included, is made by extending the frame by r = K/2 on each side
// with its own rule (foldCoordinate, which folds as often as a tiny frame needs) and placing the
// extended frame in a zero-filled buffer of a smooth size (factors 2, 3, 5, 7 only) at least
// W + 2r by H + 2r. The transform's circular convolution then never reaches past the extended
// frame for the pixels we keep, so nothing wraps around. For `wrap` the extension tiles the frame
// periodically, which gives exactly the circular convolution on the W x H frame without having
// to transform at W x H itself (1921 x 1081 = 17*113 x 23*47 would be slow in FFTW).
//
// Placement. The kernel's spectrum carries the shift by r (taps at 0..2r, not -r..r), so output
// pixel (x, y) lands at (x, y) in the inverse transform rather than at (x + r, y + r): that keeps
// the stride-2 samples on even indices, which the folding below needs.
//
// Stride 2. Only every other row and column of the blurred frame is wanted. Taking every other
// sample of a length-P signal is, in frequency, summing the spectrum with itself shifted by P/2
// (aliasing): Y(k) = Z(k) + Z(k + P/2). So the product spectrum is folded in both directions into
// a P/2 x P/2 spectrum and the inverse transform runs at a quarter of the size, computing exactly
// the outputs needed. Padded sizes are kept even for this. The forward transform still runs at
// full size: every input pixel contributes.
//
// Precision. Single-precision FFTW is accurate to ~1e-6 of the signal, a few 1e-4 of one level at
// 255, so rounding the result (half up, clamped to 0..255) stays within 1 of the double
// reference and within 1 of the fixed-point CPU backend. That is not enough where the exact
// result sits on a rounding boundary, which dyadic kernels hit all the time: the binomial one
// gives multiples of 1/256, and x + 128/256 must round up as cv::pyrDown's (sum + 128) >> 8 does,
// not down for an error of -1e-5. For such kernels the result is first snapped to its grid, which
// recovers the exact sum, so those kernels give exact bytes (see outputGridBits).

namespace blurcam::fft {
namespace {

using Complex = std::complex<float>;

Complex* asComplex(fftwf_complex* data) {
    // FFTW documents fftwf_complex as layout-compatible with std::complex<float>.
    return reinterpret_cast<Complex*>(data); // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

/// F(u) = scale * sum_t w[t] exp(+2 pi i t u / P), t = 0..K-1: the correlation with taps placed at
/// 0..2r. Exponents are reduced modulo P in integers so large P loses no precision.
std::vector<Complex> kernelFactors(const std::vector<double>& weights, int length, double scale) {
    std::vector<std::complex<double>> twiddles(static_cast<std::size_t>(length));
    for (int m = 0; m < length; ++m) {
        const double angle = 2.0 * std::numbers::pi * m / length;
        twiddles[static_cast<std::size_t>(m)] = {std::cos(angle), std::sin(angle)};
    }
    std::vector<Complex> factors(static_cast<std::size_t>(length));
    for (int u = 0; u < length; ++u) {
        std::complex<double> sum = 0.0;
        for (std::size_t t = 0; t < weights.size(); ++t) {
            const auto index = static_cast<std::size_t>((static_cast<long long>(t) * u) % length);
            sum += weights[t] * twiddles[index];
        }
        factors[static_cast<std::size_t>(u)] =
            Complex(static_cast<float>(sum.real() * scale), static_cast<float>(sum.imag() * scale));
    }
    return factors;
}

/// Plain complex product: std::complex's operator* also handles inf/NaN (a library call per
/// product in GCC without -ffast-math), which finite spectra never need.
inline Complex multiply(Complex a, Complex b) {
    return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

constexpr std::size_t kKernelCacheEntries = 4;

/// The finest grid snapped to is 2^-8 of a level (1-D weights in sixteenths, as the binomial's),
/// where half a step is 1/512 of a level. Measured on noise, photo-like and test-pattern frames up
/// to 4096 x 4096, the float result stays within 0.04 of a step of the exact one, so the nearest
/// step is the exact one with a wide margin; a finer grid would leave less.
constexpr int kMaxGridBits1D = 4;

/// If every 1-D weight is a multiple of 2^-n for some n <= kMaxGridBits1D, every 2-D weight (a
/// product of two) is a multiple of 2^-2n, and so is the exact blur of integer levels: returns the
/// smallest such 2n (binomial: 8, the identity kernel of a tiny sigma: 0), else -1 (Gaussians).
int outputGridBits(const std::vector<double>& weights) {
    for (int bits = 0; bits <= kMaxGridBits1D; ++bits) {
        const double steps = std::ldexp(1.0, bits);
        if (std::all_of(weights.begin(), weights.end(),
                        [&](double weight) { return weight * steps == std::floor(weight * steps); })) {
            return 2 * bits;
        }
    }
    return -1;
}

/// Writes the first dst.height rows of the 4 real planes as RGBA bytes, each sample through round.
template <typename Round>
void writePlanes(const float* real, std::size_t plane, int columns, const MutableImageView& dst, Round round) {
    for (int y = 0; y < dst.height; ++y) {
        std::uint8_t* out = dst.row(y);
        const float* row = real + static_cast<std::size_t>(y) * static_cast<std::size_t>(columns);
        for (int x = 0; x < dst.width; ++x) {
            for (std::size_t channel = 0; channel < 4; ++channel) {
                out[static_cast<std::size_t>(x) * 4 + channel] =
                    round(row[channel * plane + static_cast<std::size_t>(x)]);
            }
        }
    }
}

} // namespace

FftBackend::FftBackend() {
    loadWisdom();
}

std::string FftBackend::name() const {
    return std::string("fft (") + fftwf_version + ", float, 1 thread)";
}

void FftBackend::preparePlans(const Layout& layout) {
    const TransformShape forward = layout.forward();
    const TransformShape inverse = layout.inverse();
    // Read the generation before fetching, so a planFftSizes() finishing meanwhile is seen next time.
    const std::uint64_t generation = planGeneration();
    if (m_forward && forward == m_forwardShape && inverse == m_inverseShape && generation == m_planGeneration) {
        return;
    }
    m_forward = acquirePlan(forward);
    m_inverse = acquirePlan(inverse);
    m_forwardShape = forward;
    m_inverseShape = inverse;
    m_planGeneration = generation;

    const auto grow = [](auto& buffer, std::size_t& capacity, std::size_t needed) {
        if (needed > capacity) {
            buffer = allocateFftw<typename std::remove_reference_t<decltype(buffer)>::element_type>(needed);
            capacity = needed;
        }
    };
    grow(m_real, m_realCapacity, 4 * std::max(realPlaneSize(forward), realPlaneSize(inverse)));
    grow(m_spectrum, m_spectrumCapacity, 4 * complexPlaneSize(forward));
    if (layout.stride == 2) {
        grow(m_folded, m_foldedCapacity, 4 * complexPlaneSize(inverse));
    }
}

const FftBackend::KernelSpectrum& FftBackend::kernelSpectrum(const Layout& layout, const BlurParams& params) {
    const auto matches = [&](const KernelSpectrum& entry) {
        return entry.paddedWidth == layout.paddedWidth && entry.paddedHeight == layout.paddedHeight &&
               entry.params.kernel == params.kernel && entry.params.kernelSize == params.kernelSize &&
               entry.params.sigma == params.sigma;
    };
    auto found = std::find_if(m_kernelCache.begin(), m_kernelCache.end(), matches);
    if (found == m_kernelCache.end()) {
        const std::vector<double> weights = kernelWeights1D(params);
        KernelSpectrum entry;
        entry.paddedWidth = layout.paddedWidth;
        entry.paddedHeight = layout.paddedHeight;
        entry.params = params;
        entry.columnFactors = kernelFactors(weights, layout.paddedHeight, 1.0);
        // FFTW's transforms are unnormalised: a forward and inverse pair scales by W*H.
        entry.rowFactors =
            kernelFactors(weights, layout.paddedWidth, 1.0 / (double(layout.paddedWidth) * layout.paddedHeight));
        entry.gridBits = outputGridBits(weights);
        if (m_kernelCache.size() >= kKernelCacheEntries) {
            m_kernelCache.pop_back();
        }
        m_kernelCache.insert(m_kernelCache.begin(), std::move(entry));
        return m_kernelCache.front();
    }
    // Most recent first, so a GUI flipping between two kernels keeps both.
    std::rotate(m_kernelCache.begin(), found, found + 1);
    return m_kernelCache.front();
}

void FftBackend::fillPlanes(const ImageView& src, const Layout& layout, EdgeMode edge) {
    const int paddedWidth = layout.paddedWidth;
    const std::size_t plane = realPlaneSize(m_forwardShape);
    m_columnSource.resize(static_cast<std::size_t>(layout.extendedWidth));
    for (int x = 0; x < layout.extendedWidth; ++x) {
        m_columnSource[static_cast<std::size_t>(x)] = foldCoordinate(x - layout.radius, src.width, edge);
    }
    float* planes[4] = {m_real.get(), m_real.get() + plane, m_real.get() + 2 * plane, m_real.get() + 3 * plane};
    for (int y = 0; y < layout.paddedHeight; ++y) {
        const std::size_t rowStart = static_cast<std::size_t>(y) * static_cast<std::size_t>(paddedWidth);
        const int sourceRow = y < layout.extendedHeight ? foldCoordinate(y - layout.radius, src.height, edge) : -1;
        int x = 0;
        if (sourceRow >= 0) {
            const std::uint8_t* row = src.row(sourceRow);
            for (; x < layout.extendedWidth; ++x) {
                const int column = m_columnSource[static_cast<std::size_t>(x)];
                const std::size_t at = rowStart + static_cast<std::size_t>(x);
                if (column < 0) {
                    for (float* channel : planes) {
                        channel[at] = 0.0F;
                    }
                    continue;
                }
                const std::uint8_t* pixel = row + static_cast<std::size_t>(column) * 4;
                planes[0][at] = pixel[0];
                planes[1][at] = pixel[1];
                planes[2][at] = pixel[2];
                planes[3][at] = pixel[3];
            }
        }
        // Zero rows (zero edges) and the smooth-size padding: never read for kept pixels, but
        // they must be finite, and zeros keep the spectrum clean.
        for (float* channel : planes) {
            std::fill(channel + rowStart + x, channel + rowStart + static_cast<std::size_t>(paddedWidth), 0.0F);
        }
    }
}

void FftBackend::multiplyFullSize(const Layout& layout, const KernelSpectrum& kernel) {
    const int columns = layout.paddedWidth / 2 + 1;
    const std::size_t plane = complexPlaneSize(m_forwardShape);
    Complex* spectrum = asComplex(m_spectrum.get());
    for (std::size_t channel = 0; channel < 4; ++channel) {
        for (int v = 0; v < layout.paddedHeight; ++v) {
            const Complex columnFactor = kernel.columnFactors[static_cast<std::size_t>(v)];
            Complex* row = spectrum + channel * plane + static_cast<std::size_t>(v) * static_cast<std::size_t>(columns);
            for (int u = 0; u < columns; ++u) {
                row[u] = multiply(row[u], multiply(columnFactor, kernel.rowFactors[static_cast<std::size_t>(u)]));
            }
        }
    }
}

void FftBackend::multiplyAndFold(const Layout& layout, const KernelSpectrum& kernel) {
    const int fullRows = layout.paddedHeight;
    const auto fullColumns = static_cast<std::size_t>(layout.paddedWidth / 2) + 1; // stored half spectrum
    const int halfRows = fullRows / 2;
    const int halfWidth = layout.paddedWidth / 2;
    const int halfColumns = halfWidth / 2 + 1;
    const std::size_t fullPlane = complexPlaneSize(m_forwardShape);
    const std::size_t halfPlane = complexPlaneSize(m_inverseShape);
    const Complex* spectrum = asComplex(m_spectrum.get());
    Complex* folded = asComplex(m_folded.get());
    const Complex* rowFactors = kernel.rowFactors.data();

    // Y(k, l) = sum over a, b in {0, 1} of Z(k + a H/2, l + b W/2), Z = X * F the full product.
    // The r2c output holds columns 0..W/2 only. Column l + W/2 is stored for l = 0 (it is W/2);
    // for l > 0 it lies past W/2, where X(v, u) = conj(X(-v, W - u)), W - u = W/2 - l.
    for (std::size_t channel = 0; channel < 4; ++channel) {
        for (int k = 0; k < halfRows; ++k) {
            Complex* out = folded + channel * halfPlane + static_cast<std::size_t>(k) * halfColumns;
            for (int a = 0; a < 2; ++a) {
                const int v = k + a * halfRows;
                const int mirrored = (fullRows - v) % fullRows;
                const Complex* row = spectrum + channel * fullPlane + static_cast<std::size_t>(v) * fullColumns;
                const Complex* mirroredRow =
                    spectrum + channel * fullPlane + static_cast<std::size_t>(mirrored) * fullColumns;
                const Complex columnFactor = kernel.columnFactors[static_cast<std::size_t>(v)];
                for (int l = 0; l < halfColumns; ++l) {
                    const Complex upper = l == 0 ? row[halfWidth] : std::conj(mirroredRow[halfWidth - l]);
                    const Complex both = multiply(row[l], rowFactors[l]) + multiply(upper, rowFactors[l + halfWidth]);
                    const Complex sum = multiply(columnFactor, both);
                    out[l] = a == 0 ? sum : out[l] + sum;
                }
            }
        }
    }
}

void FftBackend::writeOutput(const MutableImageView& dst, int gridBits) const {
    const int columns = m_inverseShape.columns;
    const std::size_t plane = realPlaneSize(m_inverseShape);
    if (gridBits < 0) {
        writePlanes(m_real.get(), plane, columns, dst, [](float value) {
            // Round half up, clamp: truncation equals floor once the value is >= 0.
            return static_cast<std::uint8_t>(std::clamp(value + 0.5F, 0.0F, 255.0F));
        });
        return;
    }
    const float steps = std::ldexp(1.0F, gridBits);
    const int halfStep = (1 << gridBits) / 2;
    writePlanes(m_real.get(), plane, columns, dst, [=](float value) {
        // The nearest step is the exact sum in steps (the FFT errs by far less than half a step);
        // truncating after + 0.5 takes it, as no value lies near a half step. Then round half up
        // in integers, as cv::pyrDown's (sum + 128) >> 8 does for 8 grid bits.
        const auto sum = static_cast<int>(std::clamp(value * steps + 0.5F, 0.0F, 255.0F * steps));
        return static_cast<std::uint8_t>((sum + halfStep) >> gridBits);
    });
}

void FftBackend::processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) {
    const Layout layout = layoutFor(src.size(), params);
    const KernelSpectrum* prepared = nullptr;
    try {
        preparePlans(layout);
        prepared = &kernelSpectrum(layout, params);
    } catch (const std::bad_alloc&) {
        throw std::runtime_error(notEnoughMemorySentence(layout));
    }
    const KernelSpectrum& kernel = *prepared;

    fillPlanes(src, layout, params.edge);
    fftwf_execute_dft_r2c(m_forward->handle, m_real.get(), m_spectrum.get());
    if (params.stride == 2) {
        multiplyAndFold(layout, kernel);
        fftwf_execute_dft_c2r(m_inverse->handle, m_folded.get(), m_real.get());
    } else {
        multiplyFullSize(layout, kernel);
        fftwf_execute_dft_c2r(m_inverse->handle, m_spectrum.get(), m_real.get());
    }
    writeOutput(dst, kernel.gridBits);
}

} // namespace blurcam::fft

namespace blurcam::detail {

BackendResult makeFftBackend(const BackendOptions& /*options*/) {
    // One thread: FFTW's threaded planner would need fftw3f_threads and its own locking, and
    // the direct CPU backend is the one to use for speed (see the benchmark).
    try {
        return BackendResult::started(std::make_unique<fft::FftBackend>());
    } catch (const std::exception& error) {
        return BackendResult::cannotStart(std::string("the FFT backend could not start: ") + error.what());
    }
}

} // namespace blurcam::detail
