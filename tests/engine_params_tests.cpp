// The engine's contract at its boundary: kernels, sizes, edge folding and argument checks.
#include "reference.hpp"
#include "test_images.hpp"

#include "blurcam/blurcam.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace blurcam {
namespace {

TEST(Kernel, NotebookSigmaHalfMatchesPrintedValues) {
    // The notebook printed this 5x5 kernel for sigma 0.5.
    BlurParams params;
    params.sigma = 0.5;
    const std::vector<double> grid = kernelWeights2D(params);
    ASSERT_EQ(grid.size(), 25U);
    EXPECT_NEAR(grid[12], 0.618693470954895, 1e-6);
    for (int neighbour : {7, 11, 13, 17}) {
        EXPECT_NEAR(grid[static_cast<std::size_t>(neighbour)], 0.08373105525970459, 1e-6);
    }
    // The corner is tiny, so an absolute tolerance of the others' size would pass 0 or a negative
    // weight: it is held to the exact value, g(2)^2 with g(x) = exp(-2x^2) / (1 + 2e^-2 + 2e^-8),
    // within the same relative error as the printed digits.
    const double edge = std::exp(-8.0) / (1.0 + 2.0 * std::exp(-2.0) + 2.0 * std::exp(-8.0));
    const double exactCorner = edge * edge;
    EXPECT_NEAR(6.962477527849842e-08, exactCorner, exactCorner * 1e-6) << "the printed value";
    for (int corner : {0, 4, 20, 24}) {
        EXPECT_NEAR(grid[static_cast<std::size_t>(corner)], exactCorner, exactCorner * 1e-6);
    }
}

TEST(Kernel, GaussianMatchesTheTwoDimensionalFormula) {
    for (double sigma : {0.1, 0.5, 1.0, 3.7, 50.0}) {
        for (int size : {1, 3, 5, 31, 63}) {
            BlurParams params;
            params.sigma = sigma;
            params.kernelSize = size;
            const std::vector<double> engine = kernelWeights2D(params);
            const std::vector<double> expected = test::referenceKernel(params);
            ASSERT_EQ(engine.size(), expected.size());
            for (std::size_t k = 0; k < engine.size(); ++k) {
                EXPECT_NEAR(engine[k], expected[k], 1e-12) << "sigma " << sigma << " K " << size << " index " << k;
            }
        }
    }
}

TEST(Kernel, TinySigmaKeepsTheCentreTapAlone) {
    // exp(-a^2 / (2 sigma^2)) -> 0 for a != 0 and 1 at a = 0, down to the smallest sigma accepted,
    // also where sigma^2 underflows to 0 (sigma below ~1.5e-162).
    for (double sigma :
         {1e-3, 1e-154, 1.5e-162, 1e-162, 1e-200, 1e-300, 1e-310, std::numeric_limits<double>::denorm_min()}) {
        for (int size : {1, 3, 5, 63}) {
            BlurParams params;
            params.sigma = sigma;
            params.kernelSize = size;
            std::vector<double> delta(static_cast<std::size_t>(size), 0.0);
            delta[static_cast<std::size_t>(size / 2)] = 1.0;
            EXPECT_EQ(kernelWeights1D(params), delta) << "sigma " << sigma << " K " << size;
            std::vector<std::uint16_t> taps(static_cast<std::size_t>(size), 0);
            taps[static_cast<std::size_t>(size / 2)] = 65535;
            EXPECT_EQ(quantizeKernel(params).taps, taps) << "sigma " << sigma << " K " << size;
            const std::vector<double> reference = test::referenceKernel(params);
            EXPECT_EQ(reference[reference.size() / 2], 1.0) << "sigma " << sigma << " K " << size;
        }
    }
}

TEST(Kernel, BinomialIsThePyramidKernel) {
    BlurParams params;
    params.kernel = KernelKind::Binomial;
    EXPECT_EQ(kernelWeights1D(params), (std::vector<double>{1.0 / 16, 4.0 / 16, 6.0 / 16, 4.0 / 16, 1.0 / 16}));
    const FixedPointKernel fixed = quantizeKernel(params);
    EXPECT_EQ(fixed.taps, (std::vector<std::uint16_t>{4096, 16384, 24576, 16384, 4096}));
    EXPECT_EQ(fixed.roundingBias, 128);
}

// The fixed-point arithmetic (kernel.hpp) errs by at most: 0.5 from the final rounding, n/256
// from the truncating passes after centring, plus the weight quantisation error on the worst
// possible frame (every pixel 0 or 255). That must stay below 1 for every kernel we accept.
TEST(Kernel, FixedPointErrorBoundStaysBelowOneForEveryKernel) {
    double worst = 0.0;
    for (int size = 1; size <= kMaxKernelSize; size += 2) {
        for (double sigma = 0.05; sigma <= kMaxSigma; sigma *= 1.07) {
            BlurParams params;
            params.sigma = sigma;
            params.kernelSize = size;
            const std::vector<double> weights = kernelWeights1D(params);
            const FixedPointKernel fixed = quantizeKernel(params);
            const long sum = std::accumulate(fixed.taps.begin(), fixed.taps.end(), 0L);
            ASSERT_TRUE(sum == 65536 || sum == 65535) << "sigma " << sigma << " K " << size;
            double quantisation = 0.0;
            int nonZero = 0;
            for (std::size_t a = 0; a < weights.size(); ++a) {
                ASSERT_EQ(fixed.taps[a], fixed.taps[weights.size() - 1 - a]) << "asymmetric taps";
                nonZero += fixed.taps[a] != 0 ? 1 : 0;
                for (std::size_t b = 0; b < weights.size(); ++b) {
                    quantisation += std::abs(weights[a] * weights[b] - fixed.taps[a] * (fixed.taps[b] / 4294967296.0));
                }
            }
            const double bound = 0.5 + nonZero / 256.0 + 255.0 * quantisation;
            worst = std::max(worst, bound);
            ASSERT_LT(bound, 1.0) << "sigma " << sigma << " K " << size;
        }
    }
    RecordProperty("worst_bound", std::to_string(worst));
}

TEST(Sizes, OutputIsCeilOfInputOverStride) {
    EXPECT_EQ(outputSize({256, 256}, 2), (Size{128, 128}));
    EXPECT_EQ(outputSize({257, 255}, 2), (Size{129, 128}));
    EXPECT_EQ(outputSize({1, 1}, 2), (Size{1, 1}));
    EXPECT_EQ(outputSize({7, 13}, 1), (Size{7, 13}));
    EXPECT_EQ(autoKernelSize(1.0), 7);
    EXPECT_EQ(autoKernelSize(0.5), 5);
    EXPECT_EQ(autoKernelSize(20.0), 63);
}

TEST(Edges, FoldMatchesTheReferenceFarOutside) {
    for (const NamedValue<EdgeMode>& entry : kEdgeModes) {
        const EdgeMode mode = entry.value;
        for (int length : {1, 2, 3, 5, 8}) {
            for (int coordinate = -70; coordinate <= 70; ++coordinate) {
                EXPECT_EQ(foldCoordinate(coordinate, length, mode), test::referenceFold(coordinate, length, mode))
                    << toString(mode) << " length " << length << " at " << coordinate;
            }
        }
    }
}

TEST(Edges, PicturesFromTheDocumentation) {
    // abcd = 0 1 2 3; three samples left of it.
    auto left = [](EdgeMode mode) {
        return std::vector<int>{foldCoordinate(-3, 4, mode), foldCoordinate(-2, 4, mode), foldCoordinate(-1, 4, mode)};
    };
    EXPECT_EQ(left(EdgeMode::Mirror), (std::vector<int>{3, 2, 1}));  // dcb|abcd
    EXPECT_EQ(left(EdgeMode::Reflect), (std::vector<int>{2, 1, 0})); // cba|abcd
    EXPECT_EQ(left(EdgeMode::Wrap), (std::vector<int>{1, 2, 3}));    // bcd|abcd
    EXPECT_EQ(left(EdgeMode::Clamp), (std::vector<int>{0, 0, 0}));
    EXPECT_EQ(left(EdgeMode::Zero), (std::vector<int>{-1, -1, -1}));
}

void expectRejected(const BlurParams& params, const std::string& mentions) {
    try {
        validate(params);
        ADD_FAILURE() << "accepted params that should name " << mentions;
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find(mentions), std::string::npos) << error.what();
    }
}

TEST(Validation, EveryBadParameterIsNamedWithItsValue) {
    BlurParams params;
    params.sigma = 0.0;
    expectRejected(params, "sigma 0");
    params.sigma = -1.5;
    expectRejected(params, "sigma -1.5");
    params.sigma = std::numeric_limits<double>::quiet_NaN();
    expectRejected(params, "sigma nan");
    params.sigma = std::numeric_limits<double>::infinity();
    expectRejected(params, "sigma inf");
    params.sigma = 50.5;
    expectRejected(params, "sigma 50.5");
    params = {};
    params.kernelSize = 4;
    expectRejected(params, "kernel size 4");
    params.kernelSize = 65;
    expectRejected(params, "kernel size 65");
    params.kernelSize = -1;
    expectRejected(params, "kernel size -1");
    params = {};
    params.kernel = KernelKind::Binomial;
    params.kernelSize = 7;
    expectRejected(params, "kernel size 7");
    params = {};
    params.stride = 3;
    expectRejected(params, "stride 3");
    params = {};
    params.edge = static_cast<EdgeMode>(99);
    expectRejected(params, "edge mode 99");
}

std::string processError(const ImageView& src, const MutableImageView& dst, const BlurParams& params = {}) {
    BackendResult made = createBackend(BackendKind::Cpu);
    try {
        made.backend->process(src, dst, params);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "accepted";
}

TEST(Validation, BadFramesAreRejectedBeforeAnyPixelIsTouched) {
    test::OwnedImage input(8, 8);
    test::OwnedImage output(4, 4);
    const ImageView src = input.view();
    const MutableImageView dst = output.mutableView();
    EXPECT_NE(processError({nullptr, 8, 8, src.strideBytes}, dst).find("input data null"), std::string::npos);
    EXPECT_NE(processError(src, {nullptr, 4, 4, dst.strideBytes}).find("output data null"), std::string::npos);
    EXPECT_NE(processError({src.data, 0, 8, src.strideBytes}, dst).find("input width 0"), std::string::npos);
    EXPECT_NE(processError({src.data, 8, 0, src.strideBytes}, dst).find("input height 0"), std::string::npos);
    EXPECT_NE(processError({src.data, 8, 8, 31}, dst).find("input row stride 31"), std::string::npos);
    EXPECT_NE(processError(src, {dst.data, 4, 4, 15}).find("output row stride 15"), std::string::npos);
    EXPECT_NE(processError(src, {dst.data, 3, 4, dst.strideBytes}).find("output size 3x4"), std::string::npos);
    BlurParams badSigma;
    badSigma.sigma = -2;
    EXPECT_NE(processError(src, dst, badSigma).find("sigma -2"), std::string::npos);
    EXPECT_EQ(processError(src, dst), "accepted");
}

/// Every entry of a table parses back from its name, and the names are unique.
template <typename Enum, std::size_t N>
void expectRoundTrip(const std::array<NamedValue<Enum>, N>& table, std::optional<Enum> (*parse)(std::string_view)) {
    std::set<std::string_view> names;
    for (const NamedValue<Enum>& entry : table) {
        EXPECT_EQ(parse(entry.name), entry.value) << entry.name;
        EXPECT_EQ(toString(entry.value), entry.name);
        EXPECT_TRUE(names.insert(entry.name).second) << "two entries named " << entry.name;
        EXPECT_FALSE(entry.label.empty() || entry.description.empty()) << entry.name;
    }
}

TEST(Names, ParseWhatToStringPrints) {
    expectRoundTrip(kEdgeModes, parseEdgeMode);
    expectRoundTrip(kKernelKinds, parseKernelKind);
    expectRoundTrip(kBackendKinds, parseBackendKind);
    EXPECT_EQ(parseBackendKind("gpu"), BackendKind::Vulkan);
    EXPECT_FALSE(parseEdgeMode("mirrored").has_value());
    EXPECT_EQ(toString(static_cast<EdgeMode>(99)), "unknown");
    EXPECT_EQ(joinNames(kEdgeModes, ", ", " or "), "zero, clamp, mirror, reflect or wrap");
    EXPECT_EQ(joinNames(kBackendKinds, "|"), "cpu|vulkan|fft|auto");
}

} // namespace
} // namespace blurcam
