// The frame preparation every source goes through (app::prepareFrame: centre crop, area resize)
// against cv::resize with INTER_AREA and INTER_LINEAR on the same crop, single-threaded as the
// pipeline runs it. Prints Google Benchmark's table, then prepareFrame's time as a ratio of
// OpenCV's INTER_AREA per case.
//
//   build/tests/benchmarks/blurcam_prepare_bench [google benchmark flags]
#include "frame_convert.hpp"

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

struct Case {
    cv::Size from;
    cv::Size to;
};

const std::vector<Case> kCases{
    {{640, 480}, {256, 256}}, {{1280, 720}, {256, 256}}, {{1280, 720}, {640, 360}}, {{1920, 1080}, {512, 288}}};

cv::Mat picture(cv::Size size) {
    cv::Mat frame(size, CV_8UC4);
    cv::RNG rng(12345);
    rng.fill(frame, cv::RNG::UNIFORM, 0, 256);
    return frame;
}

std::string name(const Case& c) {
    return std::to_string(c.from.width) + "x" + std::to_string(c.from.height) + "->" + std::to_string(c.to.width) +
           "x" + std::to_string(c.to.height);
}

void prepare(benchmark::State& state, Case c) {
    const cv::Mat frame = picture(c.from);
    for (auto _ : state) {
        benchmark::DoNotOptimize(blurcam::app::prepareFrame(frame, blurcam::app::FrameShape::CropToAspect, c.to).data);
    }
}

void opencv(benchmark::State& state, Case c, int interpolation) {
    const cv::Mat frame = picture(c.from);
    const cv::Mat crop = frame(blurcam::app::centredCropRect(frame.size(), c.to));
    for (auto _ : state) {
        cv::Mat out;
        cv::resize(crop, out, c.to, 0.0, 0.0, interpolation);
        benchmark::DoNotOptimize(out.data);
    }
}

class Ratios : public benchmark::ConsoleReporter {
  public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& run : runs) {
            m_times[run.benchmark_name()] = run.GetAdjustedCPUTime();
        }
        ConsoleReporter::ReportRuns(runs);
    }
    void Finalize() override {
        ConsoleReporter::Finalize();
        std::printf("\nprepareFrame / cv::resize INTER_AREA (CPU time):\n");
        for (const Case& c : kCases) {
            const double ours = m_times["prepareFrame/" + name(c)];
            const double area = m_times["INTER_AREA/" + name(c)];
            if (ours > 0.0 && area > 0.0) {
                std::printf("  %-22s %8.1f us vs %8.1f us: %.2fx the time (%.1fx faster)\n", name(c).c_str(), ours,
                            area, ours / area, area / ours);
            }
        }
    }

  private:
    std::map<std::string, double> m_times;
};

} // namespace

int main(int argc, char** argv) {
    cv::setNumThreads(0); // the pipeline turns OpenCV's pool off; compare like with like
    for (const Case& c : kCases) {
        benchmark::RegisterBenchmark(("prepareFrame/" + name(c)).c_str(), prepare, c)->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("INTER_AREA/" + name(c)).c_str(), opencv, c, cv::INTER_AREA)
            ->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("INTER_LINEAR/" + name(c)).c_str(), opencv, c, cv::INTER_LINEAR)
            ->Unit(benchmark::kMicrosecond);
    }
    benchmark::Initialize(&argc, argv);
    Ratios reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
