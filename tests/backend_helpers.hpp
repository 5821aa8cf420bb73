#pragma once
// What every backend test needs, in one place: making backends (the CPU at a chosen
// instruction-set level, Vulkan with the validation layer), Gaussian parameters in one call,
// running a backend into a frame whose row padding is checked, and comparing frames with each
// other or with the reference.

#include "reference.hpp"
#include "test_images.hpp"
#include "test_requirements.hpp"

#include "blurcam/backend.hpp"
#include "blurcam/devices.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace blurcam::test {

/// A backend, or null and a test failure saying why it did not start.
inline std::unique_ptr<Backend> makeBackend(BackendKind kind, const BackendOptions& options = {}) {
    BackendResult made = createBackend(kind, options);
    EXPECT_TRUE(made.backend) << "the " << toString(kind) << " backend did not start: " << made.error;
    return std::move(made.backend);
}

/// A CPU backend at one instruction-set level (default: the best this CPU runs).
inline std::unique_ptr<Backend> makeCpu(std::optional<CpuLevel> level = std::nullopt, int threads = 1) {
    BackendOptions options;
    options.cpuLevel = level;
    options.threads = threads;
    return makeBackend(BackendKind::Cpu, options);
}

inline std::unique_ptr<Backend> makeFft() {
    return makeBackend(BackendKind::Fft);
}

/// Every Vulkan backend in the tests runs with the Khronos validation layer; any message it
/// prints makes process() throw, which fails the test.
inline BackendOptions withValidation() {
    BackendOptions options;
    options.vulkanValidation = true;
    return options;
}

inline std::unique_ptr<Backend> makeVulkan(const BackendOptions& options = withValidation()) {
    return makeBackend(BackendKind::Vulkan, options);
}

/// Why Vulkan tests cannot run here ("" when a device exists): the only reason to skip them,
/// and outside CI only (REQUIRE_OR_SKIP).
inline const std::string& vulkanMissing() {
    static const std::string reason = [] {
        const GpuDeviceList list = listGpuDevices();
        return list.devices.empty() ? list.error + " (Debian: mesa-vulkan-drivers gives lavapipe)" : std::string();
    }();
    return reason;
}

/// Whether this processor has a CPU level's instructions, asked of the processor itself (never
/// "the backend failed to start", which is what a regression looks like): the only reason to
/// skip a level, and outside CI only (REQUIRE_OR_SKIP).
inline bool processorHas(CpuLevel level) {
#if defined(__x86_64__) || defined(__i386__)
    switch (level) {
    case CpuLevel::Scalar: return true;
    case CpuLevel::Sse2: return __builtin_cpu_supports("sse2") != 0;
    case CpuLevel::Avx2: return __builtin_cpu_supports("avx2") != 0;
    }
    return false;
#else
    return level == CpuLevel::Scalar;
#endif
}

/// "" when the processor has the level, else what is missing.
inline std::string cpuLevelMissing(CpuLevel level) {
    if (processorHas(level)) {
        return {};
    }
    const auto named = std::find_if(kCpuLevels.begin(), kCpuLevels.end(),
                                    [level](const NamedValue<CpuLevel>& entry) { return entry.value == level; });
    return "this processor has no " + std::string(named->label) + " instructions";
}

/// One CPU backend per process, at the best level, as the byte-for-byte yardstick.
inline Backend& sharedCpu() {
    static const std::unique_ptr<Backend> backend = makeCpu();
    return *backend;
}

/// A Gaussian blur's parameters in one expression, for tables of cases.
inline BlurParams gaussian(double sigma, int kernelSize, int stride, EdgeMode edge) {
    BlurParams params;
    params.sigma = sigma;
    params.kernelSize = kernelSize;
    params.stride = stride;
    params.edge = edge;
    return params;
}

/// Runs a backend into a fresh output whose row padding is filled with a marker, and checks
/// the padding survived.
inline OwnedImage runBackend(Backend& backend, const OwnedImage& input, const BlurParams& params) {
    OwnedImage output = makeOutputFor(input, params.stride);
    backend.process(input.view(), output.mutableView(), params);
    for (int y = 0; y < output.height; ++y) {
        for (std::size_t byte = static_cast<std::size_t>(output.width) * 4; byte < output.strideBytes; ++byte) {
            EXPECT_EQ(output.pixels[y * output.strideBytes + byte], 0xCD) << "row padding overwritten at row " << y;
        }
    }
    return output;
}

/// Fails where any byte is more than 1 from the reference (referenceBlur's layout), naming the
/// first few such pixels.
inline void expectWithinOneOf(const std::vector<double>& reference, const OwnedImage& output) {
    int reported = 0;
    for (int y = 0; y < output.height; ++y) {
        for (int x = 0; x < output.width; ++x) {
            for (int channel = 0; channel < 4; ++channel) {
                const double want = reference[(static_cast<std::size_t>(y) * output.width + x) * 4 + channel];
                if (std::abs(output.at(x, y)[channel] - want) > 1.0 && reported++ < 5) {
                    ADD_FAILURE() << "pixel (" << x << ", " << y << ") channel " << channel << ": got "
                                  << int(output.at(x, y)[channel]) << ", reference " << want;
                }
            }
        }
    }
}

inline void expectWithinOneOfReference(const OwnedImage& output, const OwnedImage& input, const BlurParams& params) {
    expectWithinOneOf(referenceBlur(input.view(), params), output);
}

/// Number of bytes that differ (pixels only, not row padding).
inline int countDifferences(const OwnedImage& left, const OwnedImage& right) {
    int differences = 0;
    for (int y = 0; y < left.height; ++y) {
        for (int x = 0; x < left.width * 4; ++x) {
            differences += left.at(0, y)[x] != right.at(0, y)[x] ? 1 : 0;
        }
    }
    return differences;
}

/// Largest byte difference between two frames of the same size.
inline int largestDifference(const OwnedImage& left, const OwnedImage& right) {
    int largest = 0;
    for (int y = 0; y < left.height; ++y) {
        for (int x = 0; x < left.width * 4; ++x) {
            largest = std::max(largest, std::abs(int(left.at(0, y)[x]) - int(right.at(0, y)[x])));
        }
    }
    return largest;
}

/// "256x256_gaussian_K5_s2_clamp_sigma10": a case's name in traces and test names.
inline std::string caseName(Size size, const BlurParams& params) {
    return std::to_string(size.width) + "x" + std::to_string(size.height) + "_" + std::string(toString(params.kernel)) +
           "_K" + std::to_string(params.kernelSize) + "_s" + std::to_string(params.stride) + "_" +
           std::string(toString(params.edge)) + "_sigma" + std::to_string(std::lround(params.sigma * 10));
}

} // namespace blurcam::test
