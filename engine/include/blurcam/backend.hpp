#pragma once
// One Backend interface for every implementation (CPU, Vulkan, FFT) and a factory that returns
// a backend or the reason it cannot start. "Auto" tries the fastest first and falls through to
// the CPU, the way OpenCV's dispatch falls through when an implementation says no.

#include "blurcam/image.hpp"
#include "blurcam/named_values.hpp"
#include "blurcam/params.hpp"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blurcam {

enum class BackendKind { Auto, Cpu, Vulkan, Fft };

/// Every backend kind, in the order help texts and menus list them. "gpu" is accepted for Vulkan.
inline constexpr std::array<NamedValue<BackendKind>, 4> kBackendKinds{{
    {BackendKind::Cpu, "cpu", "CPU", "SIMD CPU path, fixed point (the default)"},
    {BackendKind::Vulkan, "vulkan", "GPU (Vulkan)", "Vulkan compute shaders, the CPU's bytes", "gpu"},
    {BackendKind::Fft, "fft", "FFT", "FFTW3 in single precision"},
    {BackendKind::Auto, "auto", "Auto", "a hardware GPU if there is one, else the CPU"},
}};

[[nodiscard]] std::string_view toString(BackendKind kind);
[[nodiscard]] std::optional<BackendKind> parseBackendKind(std::string_view text);

/// The CPU backend's instruction-set levels; every level gives the same bytes.
enum class CpuLevel { Scalar, Sse2, Avx2 };

inline constexpr std::array<NamedValue<CpuLevel>, 3> kCpuLevels{{
    {CpuLevel::Scalar, "scalar", "Scalar", "plain C++, any CPU"},
    {CpuLevel::Sse2, "sse2", "SSE2", "x86-64 baseline"},
    {CpuLevel::Avx2, "avx2", "AVX2", "chosen at run time where the CPU has it"},
}};

/// Time spent on the last frame, in milliseconds. Backend::process() measures totalMs around the
/// whole call; a backend that moves frames to a device also reports its stages, and one that
/// reports none (the CPU, FFT) spent the whole frame computing, so computeMs = totalMs.
struct FrameTimings {
    double uploadMs = 0.0;
    double computeMs = 0.0;
    double downloadMs = 0.0;
    double totalMs = 0.0;
};

class Backend {
  public:
    virtual ~Backend() = default;
    Backend() = default;
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    /// Short name for logs and the UI, e.g. "cpu (avx2, 1 thread)".
    [[nodiscard]] virtual std::string name() const = 0;

    /// Device the backend runs on ("CPU", a GPU's name).
    [[nodiscard]] virtual std::string deviceName() const = 0;

    /// Checks the frames and params once at this boundary (std::invalid_argument on bad input),
    /// then blurs src into dst, and times it (lastTimings()). dst must be exactly
    /// outputSize(src, params.stride).
    void process(const ImageView& src, const MutableImageView& dst, const BlurParams& params);

    [[nodiscard]] virtual FrameTimings lastTimings() const { return m_lastTimings; }

  protected:
    /// Arguments are already valid here. m_lastTimings starts at zero; a backend with stages
    /// (upload, compute, download) sets them.
    virtual void processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) = 0;

    FrameTimings m_lastTimings;
};

struct BackendOptions {
    int threads = 1;                  ///< CPU worker threads, 1..kMaxThreads (the CPU backend splits large frames)
    std::optional<CpuLevel> cpuLevel; ///< empty: $BLURCAM_CPU_SIMD, then the best this CPU runs
    std::string vulkanDevice;         ///< index or name substring; empty: $BLURCAM_VULKAN_DEVICE, then the best device
    bool vulkanValidation = false;    ///< enable VK_LAYER_KHRONOS_validation; messages become errors
};

struct BackendResult {
    std::unique_ptr<Backend> backend; ///< null when the backend cannot start
    std::string error;                ///< why it cannot start: one sentence
    std::string note;                 ///< for Auto: which backend was skipped and why ("" if none)

    static BackendResult started(std::unique_ptr<Backend> made) { return {std::move(made), {}, {}}; }
    static BackendResult cannotStart(std::string why) { return {nullptr, std::move(why), {}}; }
};

/// Never throws for "cannot start": the reason comes back in BackendResult::error (a CPU level
/// this CPU lacks, a missing Vulkan driver, a backend this build leaves out).
[[nodiscard]] BackendResult createBackend(BackendKind kind, const BackendOptions& options = {});

/// Convenience: one call that does the job with a CPU backend kept per thread.
void blur(const ImageView& src, const MutableImageView& dst, const BlurParams& params);

} // namespace blurcam
