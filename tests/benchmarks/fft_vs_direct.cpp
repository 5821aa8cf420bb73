// Direct CPU convolution versus the FFT backend: K = 5, 15, 31, 63 at 256x256 and 1920x1080,
// stride 2, sigma = K/6, clamp edges, one thread each, in one run. Prints Google Benchmark's
// table and then a crossover summary (which backend wins each case and by how much).
//
//   blurcam_fft_bench                 FFT with the plans a fresh process gets (FFTW_ESTIMATE,
//                                     or measured plans if the wisdom file already has them)
//   blurcam_fft_bench --fft_measure   first runs planFftSizes() for every case (FFTW_MEASURE,
//                                     saved to the wisdom file), then benchmarks
#include "blurcam/blurcam.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace blurcam;

struct Frame {
    int width;
    int height;
    std::vector<std::uint8_t> pixels;
};

Frame makeFrame(int width, int height) {
    Frame frame{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height * 4)};
    std::mt19937 random(7);
    std::uniform_int_distribution<int> byte(0, 255);
    for (std::uint8_t& value : frame.pixels) {
        value = static_cast<std::uint8_t>(byte(random));
    }
    return frame;
}

BlurParams paramsFor(int kernelSize) {
    BlurParams params;
    params.kernelSize = kernelSize;
    params.sigma = kernelSize / 6.0;
    params.stride = 2;
    params.edge = EdgeMode::Clamp;
    return params;
}

/// This thread's CPU time: on a shared machine, wall time also counts other processes' turns.
double threadCpuMs() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) * 1e-6;
}

struct Mean {
    double wallMs = 0.0;
    double cpuMs = 0.0;
};

/// Mean milliseconds per frame, by (size, K, backend), filled as the benchmarks run.
std::map<std::tuple<int, int, int, std::string>, Mean> g_means;

void runBlur(benchmark::State& state, BackendKind kind, int width, int height, int kernelSize) {
    BackendOptions options;
    options.threads = 1;
    BackendResult made = createBackend(kind, options);
    if (!made.backend) {
        state.SkipWithError(made.error.c_str());
        return;
    }
    const Frame frame = makeFrame(width, height);
    const BlurParams params = paramsFor(kernelSize);
    const Size out = outputSize({width, height}, params.stride);
    std::vector<std::uint8_t> output(static_cast<std::size_t>(out.width) * out.height * 4);
    const ImageView src{frame.pixels.data(), width, height, static_cast<std::size_t>(width) * 4};
    const MutableImageView dst{output.data(), out.width, out.height, static_cast<std::size_t>(out.width) * 4};
    made.backend->process(src, dst, params); // plans, kernel spectra and buffers are made here, untimed

    double wallMs = 0.0;
    double cpuMs = 0.0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        const double cpuStart = threadCpuMs();
        made.backend->process(src, dst, params);
        benchmark::DoNotOptimize(output.data());
        benchmark::ClobberMemory();
        cpuMs += threadCpuMs() - cpuStart;
        wallMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    state.SetLabel(made.backend->name());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(width) * height);
    const auto frames = double(state.iterations());
    g_means[{width, height, kernelSize, std::string(toString(kind))}] = {wallMs / frames, cpuMs / frames};
}

const std::vector<std::pair<int, int>> kSizes = {{256, 256}, {1920, 1080}};
const std::vector<int> kKernelSizes = {5, 15, 31, 63};

} // namespace

int main(int argc, char** argv) {
    bool measure = false;
    std::vector<char*> arguments;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--fft_measure") == 0) {
            measure = true;
        } else {
            arguments.push_back(argv[i]);
        }
    }
    if (measure) {
        std::vector<FftPlanRequest> requests;
        for (auto [width, height] : kSizes) {
            for (int kernelSize : kKernelSizes) {
                requests.push_back({{width, height}, paramsFor(kernelSize)});
            }
        }
        const auto start = std::chrono::steady_clock::now();
        const FftPlanReport report = planFftSizes(requests);
        std::printf("planFftSizes: %d transforms measured in %.1f s, wisdom in %s%s%s\n", report.transformsPlanned,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                    report.wisdomPath.empty() ? "(nowhere)" : report.wisdomPath.c_str(),
                    report.error.empty() ? "" : ", error: ", report.error.c_str());
    }

    for (auto [width, height] : kSizes) {
        for (int kernelSize : kKernelSizes) {
            for (BackendKind kind : {BackendKind::Cpu, BackendKind::Fft}) {
                const std::string name = std::string(toString(kind)) + "/" + std::to_string(width) + "x" +
                                         std::to_string(height) + "/K" + std::to_string(kernelSize);
                benchmark::RegisterBenchmark(name.c_str(), runBlur, kind, width, height, kernelSize)
                    ->Unit(benchmark::kMillisecond)
                    ->UseRealTime();
            }
        }
    }
    int count = static_cast<int>(arguments.size());
    benchmark::Initialize(&count, arguments.data());
    if (benchmark::ReportUnrecognizedArguments(count, arguments.data())) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();

    std::printf("\nstride 2, sigma = K/6, clamp, 1 thread; mean ms per frame, wall (thread CPU time), %s FFT plans\n",
                measure ? "measured" : "default");
    std::printf("%-10s %4s %20s %20s   %s\n", "size", "K", "direct cpu ms", "fft ms", "faster (by CPU time)");
    for (auto [width, height] : kSizes) {
        for (int kernelSize : kKernelSizes) {
            const auto cpu = g_means.find({width, height, kernelSize, "cpu"});
            const auto fft = g_means.find({width, height, kernelSize, "fft"});
            if (cpu == g_means.end() || fft == g_means.end()) {
                continue;
            }
            const Mean direct = cpu->second;
            const Mean transform = fft->second;
            const bool directWins = direct.cpuMs <= transform.cpuMs;
            std::printf("%4dx%-5d %4d %9.3f (%8.3f) %9.3f (%8.3f)   %s by %.1fx\n", width, height, kernelSize,
                        direct.wallMs, direct.cpuMs, transform.wallMs, transform.cpuMs, directWins ? "cpu" : "fft",
                        directWins ? transform.cpuMs / direct.cpuMs : direct.cpuMs / transform.cpuMs);
        }
    }
    return 0;
}
