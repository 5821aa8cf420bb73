#pragma once
// Convolution by the Fourier transform (FFTW3, single precision): blur = inverse(F(frame) x
// F(kernel)). Where the direct CPU path costs K multiply-adds per pass and output, this costs
// O(log N) per pixel whatever K is; see tests/benchmarks/fft_vs_direct.cpp for where that pays.

#include "blurcam/backend.hpp"
#include "fftw_planner.hpp"

#include <complex>
#include <cstdint>
#include <string>
#include <vector>

namespace blurcam::fft {

class FftBackend final : public Backend {
  public:
    FftBackend();

    [[nodiscard]] std::string name() const override;
    [[nodiscard]] std::string deviceName() const override { return "CPU"; }

    /// Whether the last frame ran on FFTW_MEASURE plans (for tests and logs).
    [[nodiscard]] bool ranMeasuredPlans() const {
        return m_forward && m_inverse && m_forward->measured && m_inverse->measured;
    }

  protected:
    void processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) override;

  private:
    /// The kernel's spectrum for one transform size, as its two 1-D factors (the 2-D kernel is
    /// an outer product, so its spectrum is too): rows x columns of numbers shrink to rows +
    /// columns, and the multiply loop forms each product on the fly.
    struct KernelSpectrum {
        int paddedWidth = 0;
        int paddedHeight = 0;
        BlurParams params;
        std::vector<std::complex<float>> columnFactors; ///< per vertical frequency, paddedHeight of them
        std::vector<std::complex<float>> rowFactors;    ///< per horizontal frequency, paddedWidth of them, x 1/(W*H)
        int gridBits = -1; ///< exact outputs are multiples of 2^-gridBits of a level (binomial: 8); -1: no such grid
    };

    void preparePlans(const Layout& layout);
    const KernelSpectrum& kernelSpectrum(const Layout& layout, const BlurParams& params);
    void fillPlanes(const ImageView& src, const Layout& layout, EdgeMode edge);
    void multiplyFullSize(const Layout& layout, const KernelSpectrum& kernel);
    void multiplyAndFold(const Layout& layout, const KernelSpectrum& kernel);
    /// Rounds the inverse transform to bytes; with gridBits >= 0, snapped to that grid first.
    void writeOutput(const MutableImageView& dst, int gridBits) const;

    PlanPtr m_forward;
    PlanPtr m_inverse;
    TransformShape m_forwardShape;
    TransformShape m_inverseShape;
    std::uint64_t m_planGeneration = 0;

    // Per-backend buffers (fftwf_malloc alignment, as the plans were made with), grown and never
    // shrunk: the plans are shared between backends, these are not, so backends on different
    // threads execute the same plans at once safely.
    FftwBuffer<float> m_real;             ///< 4 planes: the extended frame in, the blurred frame out
    FftwBuffer<fftwf_complex> m_spectrum; ///< 4 half spectra at the padded size
    FftwBuffer<fftwf_complex> m_folded;   ///< stride 2: 4 half spectra at half the padded size
    std::size_t m_realCapacity = 0;
    std::size_t m_spectrumCapacity = 0;
    std::size_t m_foldedCapacity = 0;
    std::vector<int> m_columnSource; ///< input column per extended column, -1 for zero

    std::vector<KernelSpectrum> m_kernelCache; ///< most recent first, a few entries
};

} // namespace blurcam::fft
