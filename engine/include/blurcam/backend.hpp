#pragma once
// One Backend interface for every implementation (CPU, Vulkan, FFT) and a factory that returns
// a backend or the reason it cannot start. "Auto" tries the fastest first and falls through to
// the CPU, the way OpenCV's dispatch falls through when an implementation says no.

#include "blurcam/image.hpp"
#include "blurcam/params.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blurcam {

enum class BackendKind { Auto, Cpu, Vulkan, Fft };

[[nodiscard]] std::string_view toString(BackendKind kind);
[[nodiscard]] std::optional<BackendKind> parseBackendKind(std::string_view text);

/// Time spent on the last frame, in milliseconds. A CPU backend reports only compute.
struct FrameTimings {
    double uploadMs = 0.0;
    double computeMs = 0.0;
    double downloadMs = 0.0;
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
    /// then blurs src into dst. dst must be exactly outputSize(src, params.stride).
    void process(const ImageView& src, const MutableImageView& dst, const BlurParams& params);

    [[nodiscard]] virtual FrameTimings lastTimings() const { return m_lastTimings; }

  protected:
    /// Arguments are already valid here.
    virtual void processValidated(const ImageView& src, const MutableImageView& dst, const BlurParams& params) = 0;

    FrameTimings m_lastTimings;
};

struct BackendOptions {
    int threads = 1;               ///< CPU worker threads (the CPU backend splits large frames)
    std::string vulkanDevice;      ///< index or name substring; empty: $BLURCAM_VULKAN_DEVICE, then the best device
    bool vulkanValidation = false; ///< enable VK_LAYER_KHRONOS_validation; messages become errors
};

struct BackendResult {
    std::unique_ptr<Backend> backend; ///< null when the backend cannot start
    std::string error;                ///< why it cannot start: one sentence
    std::string note;                 ///< for Auto: which backend was skipped and why ("" if none)
};

/// Never throws for "cannot start": the reason comes back in BackendResult::error.
[[nodiscard]] BackendResult createBackend(BackendKind kind, const BackendOptions& options = {});

/// Convenience: one call that does the job with a CPU backend kept per thread.
void blur(const ImageView& src, const MutableImageView& dst, const BlurParams& params);

} // namespace blurcam
