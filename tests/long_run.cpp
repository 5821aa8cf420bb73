// blurcam_long_run: pushes N frames of the test pattern through the desktop app's real
// capture/processing Pipeline (both worker threads, the mailbox, the signals to the GUI thread),
// headless on Qt's offscreen platform, and checks that resident memory stays flat after warm-up.
//
//   blurcam_long_run --backend cpu|vulkan|fft [--frames N] [--max-growth PERCENT]
//
// Prints frames/s and VmRSS samples (every 10% of the run). Exit status: 0 when the RSS at the
// end is within --max-growth percent of the RSS at 20% of the run, 1 when it grew more (or the
// run went wrong), 77 when the backend cannot start on this machine (ctest counts it skipped),
// except under CI=true, where a backend that cannot start is a failure (1), as in every suite
// (test_requirements.hpp).
//
// The pipeline paces sources at their frame rate, capped at 120 frames/s (app/gui/pipeline.cpp);
// the pattern here claims a high rate, so the capture side runs at that cap and a slow backend
// simply drops frames (counted), exactly as in the app.
#include "pipeline.hpp"
#include "test_requirements.hpp"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QTimer>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

using blurcam::BackendKind;

/// Resident set size of this process in KiB, from /proc/self/status.
long long residentKiB() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::atoll(line.c_str() + 6);
        }
    }
    return -1;
}

/// The pattern source, claiming a frame rate above the pipeline's cap so it runs flat out.
class FastPattern final : public blurcam::app::FrameSource {
  public:
    explicit FastPattern(std::unique_ptr<blurcam::app::FrameSource> inner) : m_inner(std::move(inner)) {}
    blurcam::app::ReadStatus read(cv::Mat& rgba) override { return m_inner->read(rgba); }
    [[nodiscard]] std::string description() const override { return m_inner->description(); }
    [[nodiscard]] std::string error() const override { return m_inner->error(); }
    [[nodiscard]] double framesPerSecond() const override { return 1000.0; }

  private:
    std::unique_ptr<blurcam::app::FrameSource> m_inner;
};

struct Options {
    BackendKind backend = BackendKind::Cpu;
    long long frames = 100000;
    double maxGrowthPercent = 5.0;
};

bool parse(int argc, char** argv, Options& options) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
        if (value == nullptr) {
            std::fprintf(stderr, "blurcam_long_run: %s needs a value\n", arg.c_str());
            return false;
        }
        ++i;
        if (arg == "--backend") {
            const auto kind = blurcam::parseBackendKind(value);
            if (!kind || *kind == BackendKind::Auto) {
                std::fprintf(stderr, "blurcam_long_run: unknown backend '%s' (cpu, vulkan or fft)\n", value);
                return false;
            }
            options.backend = *kind;
        } else if (arg == "--frames") {
            options.frames = std::atoll(value);
        } else if (arg == "--max-growth") {
            options.maxGrowthPercent = std::atof(value);
        } else {
            std::fprintf(stderr, "blurcam_long_run: unknown option '%s'\n", arg.c_str());
            return false;
        }
    }
    if (options.frames < 10) {
        std::fprintf(stderr, "blurcam_long_run: --frames must be at least 10\n");
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    Options options;
    if (!parse(argc, argv, options)) {
        return 2;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);

    const blurcam::gui::SourceOpener opener = [](const std::string& spec) {
        blurcam::app::OpenedSource opened = blurcam::app::openFrameSource(spec);
        if (opened.source) {
            opened.source = std::make_unique<FastPattern>(std::move(opened.source));
        }
        return opened;
    };
    blurcam::gui::Pipeline pipeline(opener, blurcam::gui::defaultBackendMaker());

    int exitCode = 0;
    bool backendReady = false;
    QObject::connect(&pipeline, &blurcam::gui::Pipeline::backendChanged, &app,
                     [&](BackendKind kind, const QString& name, const QString& device) {
                         if (kind == options.backend) {
                             backendReady = true;
                             std::printf("backend %s on %s\n", qPrintable(name), qPrintable(device));
                         }
                     });
    QObject::connect(&pipeline, &blurcam::gui::Pipeline::backendFailed, &app,
                     [&](BackendKind kind, const QString& error) {
                         std::fprintf(stderr, "backend %s cannot run: %s\n",
                                      std::string(blurcam::toString(kind)).c_str(), qPrintable(error));
                         // Failing mid-run is a real failure; not starting at all is a skip, but
                         // only outside CI, where the machine need not have every backend.
                         const bool skip = !backendReady && !blurcam::test::everyRequirementMustBeMet();
                         exitCode = skip ? 77 : 1;
                         if (!backendReady && !skip) {
                             std::fprintf(stderr, "CI=true and a requirement is missing: the %s backend\n",
                                          std::string(blurcam::toString(kind)).c_str());
                         }
                         QCoreApplication::quit();
                     });
    QObject::connect(&pipeline, &blurcam::gui::Pipeline::processingError, &app, [&](const QString& error) {
        std::fprintf(stderr, "processing error: %s\n", qPrintable(error));
        exitCode = 1;
        QCoreApplication::quit();
    });
    QObject::connect(&pipeline, &blurcam::gui::Pipeline::sourceFailed, &app, [&](const QString& error, int) {
        std::fprintf(stderr, "source failed: %s\n", qPrintable(error));
        exitCode = 1;
        QCoreApplication::quit();
    });

    blurcam::BlurParams params;
    params.kernelSize = 9;
    params.sigma = 2.0;
    params.stride = 1;
    pipeline.start(QStringLiteral("pattern"), options.backend, params, 1, blurcam::app::FrameShape::CropToAspect);

    // RSS is sampled at every 10% of the captured frames; the 20% sample is the post-warm-up base.
    std::vector<long long> samples(11, -1);
    samples[0] = residentKiB();
    const auto started = std::chrono::steady_clock::now();
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        const auto counters = pipeline.counters();
        const auto tenth = static_cast<std::size_t>(static_cast<long long>(counters.captured) * 10 / options.frames);
        for (std::size_t i = 1; i <= std::min<std::size_t>(tenth, 10); ++i) {
            if (samples[i] < 0) {
                samples[i] = residentKiB();
                std::printf("%3zu%%  captured %llu  processed %llu  dropped %llu  VmRSS %lld KiB\n", i * 10,
                            static_cast<unsigned long long>(counters.captured),
                            static_cast<unsigned long long>(counters.processed),
                            static_cast<unsigned long long>(counters.dropped), samples[i]);
                std::fflush(stdout);
            }
        }
        if (samples[10] >= 0) {
            QCoreApplication::quit();
        }
    });
    poll.start(20);
    QCoreApplication::exec();
    poll.stop();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto counters = pipeline.counters();
    if (exitCode != 0) {
        return exitCode;
    }
    if (!backendReady || counters.processed == 0) {
        std::fprintf(stderr, "the %s backend processed no frame\n",
                     std::string(blurcam::toString(options.backend)).c_str());
        return 1;
    }
    const double growth = 100.0 * static_cast<double>(samples[10] - samples[2]) / static_cast<double>(samples[2]);
    std::printf("%s: %llu frames captured, %llu processed, %llu dropped in %.1f s: %.1f captured/s, %.1f processed/s\n",
                std::string(blurcam::toString(options.backend)).c_str(),
                static_cast<unsigned long long>(counters.captured), static_cast<unsigned long long>(counters.processed),
                static_cast<unsigned long long>(counters.dropped), seconds,
                static_cast<double>(counters.captured) / seconds, static_cast<double>(counters.processed) / seconds);
    std::printf("VmRSS start %lld KiB, at 20%% %lld KiB, at 100%% %lld KiB: %+.2f%% after warm-up (limit %.1f%%)\n",
                samples[0], samples[2], samples[10], growth, options.maxGrowthPercent);
#if defined(__SANITIZE_ADDRESS__)
    // ASan holds freed blocks in its quarantine and adds shadow pages, so RSS swings by several
    // percent either way; under it LeakSanitizer checks for leaks instead of this comparison.
    std::printf("built with AddressSanitizer: the RSS limit is not enforced (LeakSanitizer checks leaks)\n");
    return 0;
#endif
    if (growth > options.maxGrowthPercent) {
        std::fprintf(stderr, "resident memory grew %.2f%% between 20%% and 100%% of the run (limit %.1f%%)\n", growth,
                     options.maxGrowthPercent);
        return 1;
    }
    return 0;
}
