// What only the CPU backend promises: its instruction-set level chosen by option or environment,
// threads that give the same bytes, the blur() convenience call. The grid, pyrDown, flat frames
// and reuse are in conformance_tests.cpp, for every backend.
#include "backend_helpers.hpp"

#include "blurcam/blurcam.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace blurcam::test {
namespace {

TEST(CpuBackend, LevelComesFromTheOptionThenTheEnvironment) {
    // Scalar runs on every CPU, so it is the level every machine can be asked for.
    EXPECT_NE(makeCpu(CpuLevel::Scalar)->name().find("scalar"), std::string::npos);
    setenv("BLURCAM_CPU_SIMD", "scalar", 1);
    const std::string fromEnvironment = makeCpu()->name();
    setenv("BLURCAM_CPU_SIMD", "no-such-level", 1);
    const std::string unknownInEnvironment = makeCpu()->name();
    unsetenv("BLURCAM_CPU_SIMD");
    EXPECT_NE(fromEnvironment.find("scalar"), std::string::npos) << fromEnvironment;
    EXPECT_EQ(unknownInEnvironment, makeCpu()->name()) << "an unknown level falls back to the best one";
    for (const NamedValue<CpuLevel>& level : kCpuLevels) {
        BackendOptions options;
        options.cpuLevel = level.value;
        const BackendResult made = createBackend(BackendKind::Cpu, options);
        // Whether it may start is the processor's answer, not the backend's: a level the
        // processor has and the backend refuses is a regression, never a skip.
        if (processorHas(level.value)) {
            ASSERT_TRUE(made.backend) << "the processor has " << level.label
                                      << " but the CPU backend did not start at that level: " << made.error;
            EXPECT_NE(made.backend->name().find(level.name), std::string::npos) << made.backend->name();
        } else {
            EXPECT_FALSE(made.backend) << "the processor has no " << level.label << ", yet the backend started";
            EXPECT_NE(made.error.find(level.name), std::string::npos) << made.error;
        }
    }
}

TEST(CpuBackend, ThreadsGiveTheSameBytes) {
    const OwnedImage input = makeTestImage(1921, 1081, 9);
    for (int stride : {1, 2}) {
        BlurParams params;
        params.stride = stride;
        params.kernelSize = 15;
        params.sigma = 2.5;
        const OwnedImage single = runBackend(*makeCpu(std::nullopt, 1), input, params);
        const OwnedImage threaded = runBackend(*makeCpu(std::nullopt, 3), input, params);
        EXPECT_EQ(countDifferences(single, threaded), 0);
    }
}

TEST(CpuBackend, BlurConvenienceCallMatchesBackend) {
    const OwnedImage input = makeTestImage(64, 48, 2);
    OwnedImage output = makeOutputFor(input, 2);
    blur(input.view(), output.mutableView(), BlurParams{});
    EXPECT_EQ(countDifferences(output, runBackend(*makeCpu(), input, BlurParams{})), 0);
}

TEST(CpuBackend, RejectsBadThreadCount) {
    for (int threads : {0, kMaxThreads + 1}) {
        BackendOptions options;
        options.threads = threads;
        const BackendResult made = createBackend(BackendKind::Cpu, options);
        EXPECT_FALSE(made.backend);
        EXPECT_NE(made.error.find("thread count " + std::to_string(threads)), std::string::npos) << made.error;
    }
}

TEST(CpuBackend, ReportsTheWholeFrameAsCompute) {
    const OwnedImage input = makeTestImage(640, 480, 3);
    const auto backend = makeCpu();
    runBackend(*backend, input, BlurParams{});
    const FrameTimings timings = backend->lastTimings();
    EXPECT_GT(timings.totalMs, 0.0);
    EXPECT_EQ(timings.computeMs, timings.totalMs);
    EXPECT_EQ(timings.uploadMs, 0.0);
    EXPECT_EQ(timings.downloadMs, 0.0);
}

} // namespace
} // namespace blurcam::test
