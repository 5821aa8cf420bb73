#pragma once
// The backends the conformance suite runs (adding one is one line in backendsUnderTest()) and
// the grid of frames and parameters it runs them over.

#include "backend_helpers.hpp"

#include "blurcam/backend.hpp"
#include "blurcam/params.hpp"

#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace blurcam::test {

/// What a backend promises beyond "within 1 of the reference".
enum class Promise {
    Yardstick,      ///< the CPU's bytes that the others are compared with (the first entry)
    SameBytesAsCpu, ///< the fixed-point arithmetic of blurcam/kernel.hpp: identical bytes
    WithinOneOfCpu, ///< floating point: within 1 of the CPU too
};

struct BackendUnderTest {
    std::string name; ///< "cpu_avx2", "vulkan": test names and traces
    std::function<std::unique_ptr<Backend>()> make;
    /// what this machine lacks for it ("" if nothing): a skip outside CI, a failure in CI
    std::function<std::string()> unavailable;
    Promise promise;
};

/// gtest prints a parameter into the test's ctest name: the name, not the object's bytes.
inline void PrintTo(const BackendUnderTest& backend, std::ostream* out) {
    *out << backend.name;
}

/// Every backend this build has. The CPU runs with two threads, so frames large enough to be
/// split into bands (the reuse test's 1921x1081) take that path too.
inline const std::vector<BackendUnderTest>& backendsUnderTest() {
    static const std::vector<BackendUnderTest> backends = [] {
        std::vector<BackendUnderTest> list;
        for (const NamedValue<CpuLevel>& level : kCpuLevels) {
            // A level the processor lacks is the one reason to skip it, asked of the processor: a
            // level it has that fails to start is a failure (makeCpu), not a skip.
            list.push_back({"cpu_" + std::string(level.name), [level] { return makeCpu(level.value, 2); },
                            [level] { return cpuLevelMissing(level.value); },
                            level.value == CpuLevel::Scalar ? Promise::Yardstick : Promise::SameBytesAsCpu});
        }
#ifdef BLURCAM_TEST_VULKAN
        list.push_back(
            {"vulkan", [] { return makeVulkan(); }, [] { return vulkanMissing(); }, Promise::SameBytesAsCpu});
#endif
#ifdef BLURCAM_TEST_FFT
        list.push_back({"fft", [] { return makeFft(); }, [] { return std::string(); }, Promise::WithinOneOfCpu});
#endif
        return list;
    }();
    return backends;
}

struct GridCase {
    Size size;
    BlurParams params;
};

/// One ctest entry's share of the grid.
struct GridSlice {
    std::string name;
    std::vector<GridCase> cases;
};

/// Every edge mode x strides 1, 2 x K in {3, 5, 7, 31} x sigmas, plus K = 1 (the identity
/// whatever sigma, so once per edge and stride) and the binomial kernel: per frame size, from
/// 1x1 to 257x255. Then every K on a tiny and an odd frame, and the sizes where the Vulkan
/// shaders change path (K 15 is the largest one-dispatch kernel, 17 the smallest two-dispatch).
inline std::vector<GridSlice> gridSlices() {
    std::vector<GridSlice> slices;
    for (Size size :
         {Size{1, 1}, Size{1, 2}, Size{2, 1}, Size{3, 3}, Size{5, 5}, Size{7, 13}, Size{256, 256}, Size{257, 255}}) {
        // The reference takes seconds per edge mode at the large sizes: one entry per edge mode
        // there lets ctest spread them over cores.
        const bool large = size.width * size.height > 4096;
        for (const NamedValue<EdgeMode>& edge : kEdgeModes) {
            if (large || edge.value == kEdgeModes.front().value) {
                slices.push_back({std::to_string(size.width) + "x" + std::to_string(size.height) +
                                      (large ? "_" + std::string(edge.name) : std::string()),
                                  {}});
            }
            GridSlice& slice = slices.back();
            for (int stride : {1, 2}) {
                slice.cases.push_back({size, gaussian(1.0, 1, stride, edge.value)});
                for (int kernelSize : {3, 5, 7, 31}) {
                    for (double sigma : {0.5, 1.0, 3.0, 10.0}) {
                        slice.cases.push_back({size, gaussian(sigma, kernelSize, stride, edge.value)});
                    }
                }
                BlurParams binomial = gaussian(1.0, 5, stride, edge.value);
                binomial.kernel = KernelKind::Binomial;
                slice.cases.push_back({size, binomial});
            }
        }
    }
    GridSlice& everyK = slices.emplace_back();
    everyK.name = "every_K";
    for (int kernelSize = 1; kernelSize <= kMaxKernelSize; kernelSize += 2) {
        // A 1x1 frame with K = 63 folds the edge rule 31 times on each side.
        for (const NamedValue<EdgeMode>& edge : kEdgeModes) {
            for (int stride : {1, 2}) {
                everyK.cases.push_back({{1, 1}, gaussian(0.4 + kernelSize / 5.0, kernelSize, stride, edge.value)});
            }
        }
        const double sigma = 0.3 + kernelSize / 4.0;
        everyK.cases.push_back(
            {{131, 67},
             gaussian(sigma, kernelSize, kernelSize % 3 == 0 ? 2 : 1, kEdgeModes[(kernelSize / 2) % 5].value)});
        everyK.cases.push_back(
            {{131, 67}, gaussian(sigma, kernelSize, 2, kernelSize % 4 == 1 ? EdgeMode::Reflect : EdgeMode::Wrap)});
    }
    GridSlice& paths = slices.emplace_back();
    paths.name = "shader_paths";
    for (Size size : {Size{3, 7}, Size{17, 257}}) {
        for (int kernelSize : {1, 5, 15, 17, 63}) {
            for (const NamedValue<EdgeMode>& edge : kEdgeModes) {
                for (int stride : {1, 2}) {
                    paths.cases.push_back({size, gaussian(0.4 + kernelSize / 5.0, kernelSize, stride, edge.value)});
                }
            }
        }
    }
    return slices;
}

inline void PrintTo(const GridSlice& slice, std::ostream* out) {
    *out << slice.name << " (" << slice.cases.size() << " cases)";
}

/// The test frame for a size, made once per process.
inline const OwnedImage& sliceInput(Size size) {
    static std::map<std::pair<int, int>, OwnedImage> frames;
    const auto key = std::pair{size.width, size.height};
    auto found = frames.find(key);
    if (found == frames.end()) {
        found = frames.emplace(key, makeTestImage(size.width, size.height)).first;
    }
    return found->second;
}

} // namespace blurcam::test
