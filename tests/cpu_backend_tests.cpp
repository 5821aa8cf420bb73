// The CPU backend against the double-precision reference, at every instruction-set level, and
// against cv::pyrDown bit for bit.
#include "conformance.hpp"
#include "pyr_down.hpp"

#include "blurcam/blurcam.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace blurcam {
namespace {

/// A CPU backend pinned to one instruction-set level (the engine reads $BLURCAM_CPU_SIMD when a
/// backend is made).
std::unique_ptr<Backend> makeCpu(const char* level, int threads = 1) {
    setenv("BLURCAM_CPU_SIMD", level, 1);
    BackendOptions options;
    options.threads = threads;
    BackendResult made = createBackend(BackendKind::Cpu, options);
    unsetenv("BLURCAM_CPU_SIMD");
    EXPECT_TRUE(made.backend) << made.error;
    return std::move(made.backend);
}

bool cpuRuns(const std::string& level) {
    return makeCpu(level.c_str())->name().find(level) != std::string::npos;
}

class CpuGrid : public ::testing::TestWithParam<test::GridCase> {};

TEST_P(CpuGrid, WithinOneOfReferenceAndSameBytesAtEveryLevel) {
    const test::GridCase& grid = GetParam();
    const test::OwnedImage& input = test::gridInput(grid.size);
    const test::OwnedImage scalar = test::runBackend(*makeCpu("scalar"), input, grid.params);
    test::expectWithinOneOfReference(scalar, input, grid.params);
    for (const char* level : {"sse2", "avx2"}) {
        if (!cpuRuns(level)) {
            continue;
        }
        const test::OwnedImage simd = test::runBackend(*makeCpu(level), input, grid.params);
        EXPECT_EQ(test::countDifferences(scalar, simd), 0) << level << " differs from scalar";
    }
}

INSTANTIATE_TEST_SUITE_P(Grid, CpuGrid, ::testing::ValuesIn(test::standardGrid()),
                         [](const auto& paramInfo) { return test::caseName(paramInfo.param); });

TEST(CpuBackend, BinomialMirrorIsBitIdenticalToPyrDown) {
    auto backend = makeCpu("avx2");
    auto sse2 = makeCpu("sse2");
    for (const test::PyrDownFrame& frame : test::pyrDownFrames()) {
        for (Backend* level : {backend.get(), sse2.get()}) {
            const test::OwnedImage output = test::runBackend(*level, frame.input, test::pyrDownParams());
            EXPECT_EQ(test::pyrDownDifferences(output, frame.input), 0) << level->name() << " on " << frame.name;
        }
    }
}

TEST(CpuBackend, FlatFramesStayFlatExceptAtZeroEdges) {
    for (int value : {0, 1, 127, 128, 254, 255}) {
        test::OwnedImage input(37, 21);
        for (int y = 0; y < input.height; ++y) {
            for (int x = 0; x < input.width * 4; ++x) {
                input.at(0, y)[x] = static_cast<std::uint8_t>(value);
            }
        }
        for (double sigma : {0.2, 1.0, 7.0, 50.0}) {
            for (int kernelSize : {1, 5, 63}) {
                BlurParams params;
                params.sigma = sigma;
                params.kernelSize = kernelSize;
                params.edge = EdgeMode::Mirror;
                const test::OwnedImage output = test::runBackend(*makeCpu("avx2"), input, params);
                for (int y = 0; y < output.height; ++y) {
                    for (int x = 0; x < output.width * 4; ++x) {
                        ASSERT_EQ(output.at(0, y)[x], value) << "sigma " << sigma << " K " << kernelSize;
                    }
                }
            }
        }
    }
}

TEST(CpuBackend, LargeOddFramesAndEveryKernelSize) {
    const test::OwnedImage input = test::makeTestImage(131, 67, 5);
    for (int kernelSize = 1; kernelSize <= kMaxKernelSize; kernelSize += 2) {
        BlurParams params;
        params.sigma = 0.3 + kernelSize / 4.0;
        params.kernelSize = kernelSize;
        params.edge = kernelSize % 4 == 1 ? EdgeMode::Reflect : EdgeMode::Wrap;
        const test::OwnedImage output = test::runBackend(*makeCpu("avx2"), input, params);
        test::expectWithinOneOfReference(output, input, params);
    }
}

TEST(CpuBackend, ThreadsGiveTheSameBytes) {
    const test::OwnedImage input = test::makeTestImage(1921, 1081, 9);
    for (int stride : {1, 2}) {
        BlurParams params;
        params.stride = stride;
        params.kernelSize = 15;
        params.sigma = 2.5;
        const test::OwnedImage single = test::runBackend(*makeCpu("avx2", 1), input, params);
        const test::OwnedImage threaded = test::runBackend(*makeCpu("avx2", 3), input, params);
        EXPECT_EQ(test::countDifferences(single, threaded), 0);
    }
}

TEST(CpuBackend, ReusedAcrossSizesAndParameters) {
    // Lifecycle: one backend, many sizes and kernels in turn, each result matching a fresh one.
    auto reused = makeCpu("avx2", 2);
    for (int round = 0; round < 3; ++round) {
        for (Size size : {Size{640, 480}, Size{3, 7}, Size{1921, 1081}, Size{256, 256}}) {
            BlurParams params;
            params.kernelSize = 1 + 2 * (round + size.width % 5);
            params.edge = static_cast<EdgeMode>(round + 1);
            const test::OwnedImage input = test::makeTestImage(size.width, size.height, static_cast<unsigned>(round));
            const test::OwnedImage fromReused = test::runBackend(*reused, input, params);
            const test::OwnedImage fromFresh = test::runBackend(*makeCpu("avx2"), input, params);
            EXPECT_EQ(test::countDifferences(fromReused, fromFresh), 0);
        }
    }
}

TEST(CpuBackend, BlurConvenienceCallMatchesBackend) {
    const test::OwnedImage input = test::makeTestImage(64, 48, 2);
    test::OwnedImage output = test::makeOutputFor(input, 2);
    blur(input.view(), output.mutableView(), BlurParams{});
    const test::OwnedImage expected = test::runBackend(*makeCpu("avx2"), input, BlurParams{});
    EXPECT_EQ(test::countDifferences(output, expected), 0);
}

TEST(CpuBackend, RejectsBadThreadCount) {
    BackendOptions options;
    options.threads = 0;
    const BackendResult made = createBackend(BackendKind::Cpu, options);
    EXPECT_FALSE(made.backend);
    EXPECT_NE(made.error.find("thread count 0"), std::string::npos) << made.error;
}

} // namespace
} // namespace blurcam
