#pragma once
// The parameter grid every backend is run over, and the checks that go with it. Vulkan and FFT
// tests instantiate the same grid, so all backends answer to one contract.

#include "reference.hpp"
#include "test_images.hpp"

#include "blurcam/backend.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace blurcam::test {

struct GridCase {
    Size size;
    BlurParams params;
};

inline std::string caseName(const GridCase& grid) {
    std::ostringstream name;
    name << grid.size.width << "x" << grid.size.height << "_" << toString(grid.params.kernel) << "_K"
         << grid.params.kernelSize << "_s" << grid.params.stride << "_" << toString(grid.params.edge) << "_sigma"
         << static_cast<int>(std::lround(grid.params.sigma * 10));
    return name.str();
}

/// Every edge mode x several sigmas x the sizes x strides 1, 2 x K in {1, 3, 5, 7, 31},
/// plus the binomial kernel everywhere.
inline std::vector<GridCase> standardGrid() {
    const std::vector<Size> sizes = {{1, 1}, {1, 2}, {2, 1}, {3, 3}, {5, 5}, {7, 13}, {256, 256}, {257, 255}};
    const std::vector<EdgeMode> edges = {EdgeMode::Zero, EdgeMode::Clamp, EdgeMode::Mirror, EdgeMode::Reflect,
                                         EdgeMode::Wrap};
    std::vector<GridCase> grid;
    for (Size size : sizes) {
        for (EdgeMode edge : edges) {
            for (int stride : {1, 2}) {
                for (int kernelSize : {1, 3, 5, 7, 31}) {
                    for (double sigma : {0.5, 1.0, 3.0, 10.0}) {
                        BlurParams params;
                        params.sigma = sigma;
                        params.kernelSize = kernelSize;
                        params.stride = stride;
                        params.edge = edge;
                        grid.push_back({size, params});
                    }
                }
                BlurParams binomial;
                binomial.kernel = KernelKind::Binomial;
                binomial.stride = stride;
                binomial.edge = edge;
                grid.push_back({size, binomial});
            }
        }
    }
    return grid;
}

inline const OwnedImage& gridInput(Size size) {
    static std::map<std::pair<int, int>, OwnedImage> cache;
    static std::mutex mutex;
    const std::lock_guard lock(mutex);
    auto found = cache.find({size.width, size.height});
    if (found == cache.end()) {
        found = cache.emplace(std::pair{size.width, size.height}, makeTestImage(size.width, size.height)).first;
    }
    return found->second;
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

/// Largest |output - reference| over every byte; fails the test where it exceeds 1.
inline double expectWithinOneOfReference(const OwnedImage& output, const OwnedImage& input, const BlurParams& params) {
    const std::vector<double> expected = referenceBlur(input.view(), params);
    double worst = 0.0;
    int reported = 0;
    for (int y = 0; y < output.height; ++y) {
        for (int x = 0; x < output.width; ++x) {
            for (int channel = 0; channel < 4; ++channel) {
                const double want = expected[(static_cast<std::size_t>(y) * output.width + x) * 4 + channel];
                const double error = std::abs(output.at(x, y)[channel] - want);
                worst = std::max(worst, error);
                if (error > 1.0 && reported++ < 5) {
                    ADD_FAILURE() << "pixel (" << x << ", " << y << ") channel " << channel << ": got "
                                  << int(output.at(x, y)[channel]) << ", reference " << want;
                }
            }
        }
    }
    return worst;
}

/// Number of bytes that differ (pixels only, not row padding).
inline int countDifferences(const OwnedImage& left, const OwnedImage& right) {
    int differences = 0;
    for (int y = 0; y < left.height; ++y) {
        for (int x = 0; x < left.width * 4; ++x) {
            differences += left.pixels[y * left.strideBytes + x] != right.pixels[y * right.strideBytes + x] ? 1 : 0;
        }
    }
    return differences;
}

} // namespace blurcam::test
