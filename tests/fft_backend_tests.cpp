// What only the FFT backend promises, beyond the conformance suite every backend runs
// (conformance_tests.cpp): the CPU's bytes where the exact result lies on a grid (binomial, the
// identity a tiny sigma gives), large odd frames, planning and wisdom, threads.
#include "backend_helpers.hpp"
#include "pyr_down.hpp"

#include "blurcam/blurcam.hpp"
#include "fft/fft_backend.hpp"
#include "fft/fft_testing.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace blurcam {
namespace {

using test::largestDifference;
using test::makeCpu;
using test::makeFft;

TEST(FftBackend, StartsAndNamesItself) {
    const auto backend = makeFft();
    ASSERT_TRUE(backend);
    EXPECT_NE(backend->name().find("fft"), std::string::npos) << backend->name();
    EXPECT_EQ(backend->deviceName(), "CPU");
}

TEST(FftBackend, LargeOddFrameMatchesCpuAndSampledReference) {
    // 1921 x 1081: both sizes odd, just past 1080p. The full O(K^2) reference would take
    // minutes, so it is checked on every pixel near the borders and a random sample inside;
    // the CPU backend is compared everywhere.
    const test::OwnedImage input = test::makeTestImage(1921, 1081, 11);
    const auto fftBackend = makeFft();
    const auto cpuBackend = makeCpu();
    std::mt19937 random(42);
    for (auto [kernelSize, stride, edge] :
         {std::tuple{15, 1, EdgeMode::Mirror}, std::tuple{63, 2, EdgeMode::Wrap}, std::tuple{5, 2, EdgeMode::Zero}}) {
        const BlurParams params = test::gaussian(kernelSize / 6.0, kernelSize, stride, edge);
        SCOPED_TRACE(test::caseName({1921, 1081}, params));
        const test::OwnedImage fft = test::runBackend(*fftBackend, input, params);
        const test::OwnedImage cpu = test::runBackend(*cpuBackend, input, params);
        EXPECT_LE(largestDifference(fft, cpu), 1);

        const std::vector<double> kernel = test::referenceKernel(params);
        const int border = kernelSize; // output pixels whose window reaches an edge, and then some
        std::uniform_int_distribution<int> column(0, fft.width - 1);
        std::uniform_int_distribution<int> row(0, fft.height - 1);
        std::vector<std::pair<int, int>> samples;
        for (int i = 0; i < fft.height; ++i) {
            for (int j = 0; j < fft.width; ++j) {
                if (i < border || j < border || i >= fft.height - border || j >= fft.width - border) {
                    samples.emplace_back(i, j);
                }
            }
        }
        for (int n = 0; n < 3000; ++n) {
            samples.emplace_back(row(random), column(random));
        }
        int failures = 0;
        for (auto [i, j] : samples) {
            for (int channel = 0; channel < 4; ++channel) {
                const double want = test::referencePixel(input.view(), params, kernel, i, j, channel);
                const int got = fft.at(j, i)[channel];
                if (std::abs(got - want) > 1.0 && failures++ < 5) {
                    ADD_FAILURE() << "pixel (" << j << ", " << i << ") channel " << channel << ": got " << got
                                  << ", reference " << want;
                }
            }
        }
        EXPECT_EQ(failures, 0);
    }
}

TEST(FftBackend, BinomialGivesTheCpuBytesAtEveryEdgeAndStride) {
    // The binomial kernel's exact result is a multiple of 1/256 whatever the edge rule, so the FFT
    // has one right answer to give: the CPU's, whose binomial passes are exact.
    const auto fft = makeFft();
    const auto cpu = makeCpu();
    for (Size size : {Size{1, 1}, Size{2, 3}, Size{255, 257}, Size{640, 480}}) {
        const test::OwnedImage input = test::makeNoiseImage(size.width, size.height, 31);
        for (const NamedValue<EdgeMode>& edge : kEdgeModes) {
            for (int stride : {1, 2}) {
                BlurParams params = test::pyrDownParams();
                params.edge = edge.value;
                params.stride = stride;
                EXPECT_EQ(test::countDifferences(test::runBackend(*fft, input, params),
                                                 test::runBackend(*cpu, input, params)),
                          0)
                    << test::caseName(size, params);
            }
        }
    }
}

TEST(FftBackend, TinySigmaIsTheIdentityKernel) {
    // A Gaussian narrower than one pixel keeps only its centre tap: output (i, j) is input
    // (s*i, s*j), whatever K and the edge rule. Below sigma ~1.5e-162, sigma^2 underflows to 0.
    const test::OwnedImage input = test::makeTestImage(23, 14, 8);
    const auto fft = makeFft();
    const auto cpu = makeCpu();
    for (double sigma :
         {1e-3, 1e-154, 1.5e-162, 1e-162, 1e-200, 1e-300, 1e-310, 1e-320, std::numeric_limits<double>::denorm_min()}) {
        for (const NamedValue<EdgeMode>& edge : kEdgeModes) {
            for (int stride : {1, 2}) {
                for (int kernelSize : {1, 3, 5, 31, 63}) {
                    const BlurParams params = test::gaussian(sigma, kernelSize, stride, edge.value);
                    std::ostringstream trace;
                    trace << "sigma " << sigma << " " << test::caseName({23, 14}, params);
                    SCOPED_TRACE(trace.str());
                    const test::OwnedImage output = test::runBackend(*fft, input, params);
                    test::expectWithinOneOfReference(output, input, params);
                    EXPECT_EQ(test::countDifferences(output, test::runBackend(*cpu, input, params)), 0);
                    int moved = 0;
                    for (int i = 0; i < output.height; ++i) {
                        for (int j = 0; j < output.width; ++j) {
                            moved += std::memcmp(output.at(j, i), input.at(stride * j, stride * i), 4) != 0 ? 1 : 0;
                        }
                    }
                    EXPECT_EQ(moved, 0);
                }
            }
        }
    }
}

// --- planning and wisdom -----------------------------------------------------------------------

/// Points $BLURCAM_FFTW_WISDOM at a temporary file for one test and restarts the planner cold;
/// undoes both afterwards so other tests in the same process see the planner as they left it.
class TemporaryWisdom {
  public:
    TemporaryWisdom()
        : m_path(std::filesystem::temp_directory_path() / ("blurcam-fftw-wisdom-test-" + std::to_string(::getpid()))) {
        std::filesystem::remove(m_path);
        setenv("BLURCAM_FFTW_WISDOM", m_path.c_str(), 1);
        fft::resetPlannerForTesting();
    }
    ~TemporaryWisdom() {
        unsetenv("BLURCAM_FFTW_WISDOM");
        std::filesystem::remove(m_path);
        fft::resetPlannerForTesting();
    }
    TemporaryWisdom(const TemporaryWisdom&) = delete;
    TemporaryWisdom& operator=(const TemporaryWisdom&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

  private:
    std::filesystem::path m_path;
};

TEST(FftPlanning, ColdStartThenMeasuredWisdomSavedAndLoaded) {
    const TemporaryWisdom wisdom;
    EXPECT_EQ(fftWisdomPath(), wisdom.path().string());
    const test::OwnedImage input = test::makeTestImage(96, 80, 6);
    for (int stride : {1, 2}) {
        const BlurParams params = test::gaussian(1.5, 9, stride, EdgeMode::Mirror);
        SCOPED_TRACE("stride " + std::to_string(stride));
        fft::resetPlannerForTesting();
        std::filesystem::remove(wisdom.path());

        // Cold: no wisdom file, so both transforms are planned by estimate, at once.
        const auto backend = makeFft();
        test::expectWithinOneOfReference(test::runBackend(*backend, input, params), input, params);
        fft::PlannerStats stats = fft::plannerStats();
        EXPECT_FALSE(stats.wisdomFileLoaded);
        EXPECT_EQ(stats.estimatedPlans, 2);
        EXPECT_EQ(stats.wisdomPlans, 0);
        EXPECT_FALSE(std::filesystem::exists(wisdom.path()));

        // Planning ahead measures both transforms and saves the wisdom.
        const FftPlanReport report = planFftSizes({{{input.width, input.height}, params}}, 2.0);
        EXPECT_EQ(report.error, "");
        EXPECT_EQ(report.transformsPlanned, 2);
        EXPECT_EQ(report.transformsKnown, 0);
        EXPECT_EQ(report.wisdomPath, wisdom.path().string());
        ASSERT_TRUE(std::filesystem::exists(wisdom.path()));
        EXPECT_GT(std::filesystem::file_size(wisdom.path()), 0U);
        EXPECT_EQ(fft::plannerStats().measuredPlans, 2);
        // The running backend moves to the measured plans at its next frame.
        const auto* fftBackend = dynamic_cast<const fft::FftBackend*>(backend.get());
        ASSERT_NE(fftBackend, nullptr);
        EXPECT_FALSE(fftBackend->ranMeasuredPlans());
        test::expectWithinOneOfReference(test::runBackend(*backend, input, params), input, params);
        EXPECT_TRUE(fftBackend->ranMeasuredPlans());

        // A new "process": the wisdom file is loaded and the same shapes come from it, unmeasured.
        fft::resetPlannerForTesting();
        const auto warm = makeFft();
        EXPECT_TRUE(fft::plannerStats().wisdomFileLoaded) << "wisdom is loaded when the backend is made";
        test::expectWithinOneOfReference(test::runBackend(*warm, input, params), input, params);
        stats = fft::plannerStats();
        EXPECT_TRUE(stats.wisdomFileLoaded);
        EXPECT_EQ(stats.wisdomPlans, 2);
        EXPECT_EQ(stats.estimatedPlans, 0);
        EXPECT_EQ(stats.measuredPlans, 0);

        // Planning again is a no-op that says so: both transforms are already known.
        const FftPlanReport again = planFftSizes({{{input.width, input.height}, params}}, 2.0);
        EXPECT_EQ(again.error, "");
        EXPECT_EQ(again.transformsPlanned, 2);
        EXPECT_EQ(again.transformsKnown, 2);
        EXPECT_EQ(fft::plannerStats().measuredPlans, 0);

        // Likewise in a fresh process that has made no backend: the plans come from the file.
        fft::resetPlannerForTesting();
        const FftPlanReport fresh = planFftSizes({{{input.width, input.height}, params}}, 2.0);
        EXPECT_EQ(fresh.transformsKnown, 2);
        EXPECT_EQ(fft::plannerStats().measuredPlans, 0);
    }
}

TEST(FftPlanning, DamagedWisdomFileFallsBackToEstimate) {
    const TemporaryWisdom wisdom;
    std::ofstream(wisdom.path()) << "(this is not fftw wisdom";
    const test::OwnedImage input = test::makeTestImage(40, 30, 7);
    const BlurParams params;
    test::expectWithinOneOfReference(test::runBackend(*makeFft(), input, params), input, params);
    const fft::PlannerStats stats = fft::plannerStats();
    EXPECT_FALSE(stats.wisdomFileLoaded);
    EXPECT_EQ(stats.estimatedPlans, 2);
}

TEST(FftPlanning, WisdomPathFollowsXdgCacheHome) {
    const char* saved = std::getenv("XDG_CACHE_HOME");
    const std::string savedValue = saved != nullptr ? saved : "";
    unsetenv("BLURCAM_FFTW_WISDOM");
    setenv("XDG_CACHE_HOME", "/some/cache", 1);
    EXPECT_EQ(fftWisdomPath(), "/some/cache/blurcam/fftw-wisdom");
    setenv("XDG_CACHE_HOME", "relative/is/ignored", 1);
    setenv("HOME", getenv("HOME") != nullptr ? getenv("HOME") : "/home/x", 1);
    EXPECT_EQ(fftWisdomPath(), std::string(getenv("HOME")) + "/.cache/blurcam/fftw-wisdom");
    setenv("BLURCAM_FFTW_WISDOM", "/tmp/elsewhere", 1);
    EXPECT_EQ(fftWisdomPath(), "/tmp/elsewhere");
    unsetenv("BLURCAM_FFTW_WISDOM");
    if (saved != nullptr) {
        setenv("XDG_CACHE_HOME", savedValue.c_str(), 1);
    } else {
        unsetenv("XDG_CACHE_HOME");
    }
}

TEST(FftPlanning, RejectsBadRequests) {
    const TemporaryWisdom wisdom;
    BlurParams bad;
    bad.kernelSize = 4;
    EXPECT_NE(planFftSizes({{{64, 64}, bad}}).error, "");
    EXPECT_NE(planFftSizes({{{0, 64}, BlurParams{}}}).error, "");
}

// --- threads -----------------------------------------------------------------------------------

struct Job {
    const test::OwnedImage* input;
    BlurParams params;
    std::vector<test::OwnedImage> outputs;
};

/// Runs each job on its own thread with its own backend, several frames each, all at once.
void runConcurrently(std::vector<Job>& jobs, int frames) {
    std::vector<std::thread> threads;
    for (Job& job : jobs) {
        threads.emplace_back([&job, frames] {
            const auto backend = createBackend(BackendKind::Fft).backend;
            for (int frame = 0; frame < frames; ++frame) {
                test::OwnedImage output = test::makeOutputFor(*job.input, job.params.stride);
                backend->process(job.input->view(), output.mutableView(), job.params);
                job.outputs.push_back(std::move(output));
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
}

TEST(FftThreads, TwoBackendsSharingPlansRunAtOnce) {
    // Same size and kernel on both threads: both execute the same cached FFTW plans at once.
    const test::OwnedImage input = test::makeTestImage(320, 240, 8);
    const BlurParams params = test::gaussian(2.5, 15, 1, EdgeMode::Reflect);
    const test::OwnedImage expected = test::runBackend(*makeFft(), input, params);
    test::expectWithinOneOfReference(expected, input, params);
    std::vector<Job> jobs = {{&input, params, {}}, {&input, params, {}}};
    runConcurrently(jobs, 6);
    for (const Job& job : jobs) {
        ASSERT_EQ(job.outputs.size(), 6U);
        for (const test::OwnedImage& output : job.outputs) {
            EXPECT_EQ(test::countDifferences(output, expected), 0);
        }
    }
}

TEST(FftThreads, TwoBackendsSharingNothingPlanAndRunAtOnce) {
    // Different sizes, kernels and strides, from a cold planner: both threads plan new sizes
    // (serialised by the planner lock) and execute at the same time.
    const test::OwnedImage first = test::makeTestImage(257, 131, 9);
    const test::OwnedImage second = test::makeTestImage(190, 200, 10);
    const BlurParams firstParams = test::gaussian(4.0, 21, 2, EdgeMode::Wrap);
    const BlurParams secondParams = test::gaussian(1.2, 7, 1, EdgeMode::Zero);
    const TemporaryWisdom wisdom; // a cold planner that no wisdom file on this machine warms up
    std::vector<Job> jobs = {{&first, firstParams, {}}, {&second, secondParams, {}}};
    runConcurrently(jobs, 4);
    for (const Job& job : jobs) {
        ASSERT_EQ(job.outputs.size(), 4U);
        for (const test::OwnedImage& output : job.outputs) {
            test::expectWithinOneOfReference(output, *job.input, job.params);
        }
    }
    EXPECT_EQ(fft::plannerStats().estimatedPlans, 4);
}

TEST(FftThreads, PlanningAheadWhileAnotherThreadBlurs) {
    // planFftSizes() on one thread (measuring, holding the planner lock) while a backend keeps
    // blurring on another: the blurring thread never needs the lock for its planned size, picks up
    // the measured plans when they land, and every frame stays correct.
    const TemporaryWisdom wisdom;
    const test::OwnedImage input = test::makeTestImage(200, 150, 15);
    const BlurParams params = test::gaussian(2.0, 11, 2, EdgeMode::Mirror);
    const auto backend = makeFft();
    const test::OwnedImage expected = test::runBackend(*backend, input, params);
    test::expectWithinOneOfReference(expected, input, params);

    std::atomic<bool> planned = false;
    FftPlanReport report;
    std::thread planner([&] {
        report = planFftSizes({{{input.width, input.height}, params}, {{640, 480}, params}}, 1.0);
        planned = true;
    });
    std::vector<test::OwnedImage> outputs;
    do {
        test::OwnedImage output = test::makeOutputFor(input, params.stride);
        backend->process(input.view(), output.mutableView(), params);
        outputs.push_back(std::move(output));
    } while (!planned.load());
    planner.join();
    EXPECT_EQ(report.error, "");
    EXPECT_EQ(report.transformsPlanned, 4);
    for (const test::OwnedImage& output : outputs) {
        EXPECT_LE(largestDifference(output, expected), 1);
    }
    // After the planner is done, the backend runs on the measured plans.
    test::expectWithinOneOfReference(test::runBackend(*backend, input, params), input, params);
    const auto* fftBackend = dynamic_cast<const fft::FftBackend*>(backend.get());
    ASSERT_NE(fftBackend, nullptr);
    EXPECT_TRUE(fftBackend->ranMeasuredPlans());
    EXPECT_EQ(fft::plannerStats().measuredPlans, 4);
}

} // namespace
} // namespace blurcam
