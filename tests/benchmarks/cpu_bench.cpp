// The CPU backend side by side with the OpenCV calls a user would otherwise make, in one run,
// single-threaded unless the name says otherwise. Ratios, not absolute times, go in the README
// (scripts/bench-table.sh turns this program's CSV output into that table).
#include "blurcam/blurcam.hpp"

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <random>

namespace {

cv::Mat makeFrame(int width, int height) {
    cv::Mat frame(height, width, CV_8UC4);
    cv::RNG random(12345);
    random.fill(frame, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(frame, frame, cv::Size(3, 3), 0.8); // camera-like, not pure noise
    return frame;
}

blurcam::ImageView viewOf(const cv::Mat& mat) {
    return {mat.data, mat.cols, mat.rows, mat.step[0]};
}

blurcam::MutableImageView mutableViewOf(cv::Mat& mat) {
    return {mat.data, mat.cols, mat.rows, mat.step[0]};
}

void setPixelsProcessed(benchmark::State& state, const cv::Mat& frame) {
    state.SetItemsProcessed(state.iterations() * frame.total());
    state.SetBytesProcessed(state.iterations() * frame.total() * 4);
}

// Arguments: width, height, kernel size, threads.
void blurcamCpu(benchmark::State& state) {
    const cv::Mat frame = makeFrame(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
    blurcam::BlurParams params;
    params.kernelSize = static_cast<int>(state.range(2));
    params.sigma = params.kernelSize == 5 ? 1.0 : params.kernelSize / 6.0;
    blurcam::BackendOptions options;
    options.threads = static_cast<int>(state.range(3));
    auto backend = blurcam::createBackend(blurcam::BackendKind::Cpu, options).backend;
    const blurcam::Size out = blurcam::outputSize({frame.cols, frame.rows}, params.stride);
    cv::Mat result(out.height, out.width, CV_8UC4);
    for (auto _ : state) {
        backend->process(viewOf(frame), mutableViewOf(result), params);
        benchmark::DoNotOptimize(result.data);
    }
    state.SetLabel(backend->name());
    setPixelsProcessed(state, frame);
}

void openCvPyrDown(benchmark::State& state) {
    cv::setNumThreads(static_cast<int>(state.range(3)));
    const cv::Mat frame = makeFrame(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
    cv::Mat result;
    for (auto _ : state) {
        cv::pyrDown(frame, result);
        benchmark::DoNotOptimize(result.data);
    }
    setPixelsProcessed(state, frame);
}

void openCvResizeArea(benchmark::State& state) {
    cv::setNumThreads(static_cast<int>(state.range(3)));
    const cv::Mat frame = makeFrame(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
    cv::Mat result;
    const cv::Size half((frame.cols + 1) / 2, (frame.rows + 1) / 2);
    for (auto _ : state) {
        cv::resize(frame, result, half, 0, 0, cv::INTER_AREA);
        benchmark::DoNotOptimize(result.data);
    }
    setPixelsProcessed(state, frame);
}

// What a user without blurcam would write for the same K x K Gaussian at stride 2.
void openCvGaussianBlurThenSubsample(benchmark::State& state) {
    cv::setNumThreads(static_cast<int>(state.range(3)));
    const cv::Mat frame = makeFrame(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
    const int kernelSize = static_cast<int>(state.range(2));
    const double sigma = kernelSize == 5 ? 1.0 : kernelSize / 6.0;
    cv::Mat blurred;
    cv::Mat result;
    const cv::Size half((frame.cols + 1) / 2, (frame.rows + 1) / 2);
    for (auto _ : state) {
        cv::GaussianBlur(frame, blurred, cv::Size(kernelSize, kernelSize), sigma, sigma, cv::BORDER_REPLICATE);
        cv::resize(blurred, result, half, 0, 0, cv::INTER_NEAREST);
        benchmark::DoNotOptimize(result.data);
    }
    setPixelsProcessed(state, frame);
}

void sizes(benchmark::internal::Benchmark* benchmark) {
    benchmark->ArgNames({"w", "h", "K", "threads"});
    for (auto [width, height] : {std::pair{256, 256}, std::pair{1920, 1080}, std::pair{3840, 2160}}) {
        benchmark->Args({width, height, 5, 1});
    }
    benchmark->Args({3840, 2160, 5, 2});
    for (int kernelSize : {15, 31}) {
        benchmark->Args({1920, 1080, kernelSize, 1});
    }
}

void directSizes(benchmark::internal::Benchmark* benchmark) {
    benchmark->ArgNames({"w", "h", "K", "threads"});
    for (auto [width, height] : {std::pair{256, 256}, std::pair{1920, 1080}, std::pair{3840, 2160}}) {
        benchmark->Args({width, height, 5, 1});
    }
    benchmark->Args({3840, 2160, 5, 2});
}

} // namespace

BENCHMARK(blurcamCpu)->Apply(sizes);
BENCHMARK(openCvPyrDown)->Apply(directSizes);
BENCHMARK(openCvResizeArea)->Apply(directSizes);
BENCHMARK(openCvGaussianBlurThenSubsample)->Apply(sizes);

BENCHMARK_MAIN();
