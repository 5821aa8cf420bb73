#include "commands.hpp"

#include "constants.hpp"
#include "exception_words.hpp"
#include "frame_convert.hpp"
#include "frame_source.hpp"
#include "frame_writer.hpp"
#include "live_output.hpp"
#include "quoted.hpp"
#include "stop_signals.hpp"

#include "blurcam/blurcam.hpp"
#include "blurcam/steady_clock.hpp"

#include <opencv2/core.hpp>

#include "frame_times.hpp"

#include <signal.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace blurcam::cli {
namespace {

namespace fs = std::filesystem;

int fail(const std::string& message) {
    std::cerr << "blurcam-cli: " << message << "\n";
    return kExitFailure;
}

/// --frames when not given: a file is read to its end (0), the pattern and cameras never end.
long long defaultFrameLimit(const app::SourceSpec& input) {
    switch (input.kind) {
    case app::SourceKind::Pattern: return 60;
    case app::SourceKind::Camera:
    case app::SourceKind::PipeWire: return 100;
    case app::SourceKind::File: return 0;
    }
    return 0;
}

std::string milliseconds(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f ms", value);
    return text;
}

std::string sizeText(int width, int height) {
    return std::to_string(width) + "x" + std::to_string(height);
}

std::string describeParams(const BlurParams& params) {
    std::ostringstream text;
    text << toString(params.kernel) << " K=" << params.kernelSize;
    if (params.kernel == KernelKind::Gaussian) {
        text << " sigma=" << params.sigma;
    }
    text << ", stride " << params.stride << ", edge " << toString(params.edge);
    return text.str();
}

/// Starts the backend or prints why it cannot; null then.
std::unique_ptr<Backend> startBackend(const Arguments& arguments, std::string& note) {
    BackendOptions options;
    options.threads = arguments.threads;
    BackendResult made = createBackend(arguments.backend, options);
    if (!made.backend) {
        fail("cannot start the " + std::string(toString(arguments.backend)) + " backend: " + made.error);
        return nullptr;
    }
    note = made.note;
    return std::move(made.backend);
}

} // namespace

int runProcess(const Arguments& arguments) {
    if (isLiveOutput(arguments.output)) {
        return runLiveOutput(arguments);
    }
    const auto outputKind = app::classifyOutput(arguments.output);
    if (!outputKind) {
        throw UsageError("invalid --output " + app::quoted(arguments.output) +
                         ": expected an image (.png, .jpg, .bmp), a video (.avi, .mp4, .mkv) or a directory "
                         "(existing, or ending in '/')");
    }
    const app::ParsedSourceSpec input = app::parseSourceSpec(arguments.input);
    if (!input.spec) {
        return fail(input.error);
    }
    app::SourceOptions sourceOptions;
    sourceOptions.loopFiles = false;
    sourceOptions.cameraMode = arguments.cameraMode;
    app::OpenedSource opened = app::openFrameSource(*input.spec, sourceOptions);
    if (!opened.source) {
        return fail(opened.error);
    }
    app::FrameSource& source = *opened.source;

    std::string backendNote;
    const std::unique_ptr<Backend> backend = startBackend(arguments, backendNote);
    if (!backend) {
        return kExitFailure;
    }

    app::WriterOptions writerOptions;
    // Keep the clip's duration when only one frame in N is kept.
    const double inputFps = source.framesPerSecond() > 0.0 ? source.framesPerSecond() : app::kDefaultFramesPerSecond;
    writerOptions.fps = inputFps / arguments.every;
    writerOptions.overwrite = arguments.overwrite;
    if (input.spec->kind == app::SourceKind::File) {
        writerOptions.protectedFiles.emplace_back(input.spec->name);
    }
    app::OpenedWriter openedWriter = app::openFrameWriter(arguments.output, *outputKind, writerOptions);
    if (!openedWriter.writer) {
        if (openedWriter.conflict) {
            throw UsageError(openedWriter.error);
        }
        return fail(openedWriter.error);
    }
    app::FrameWriter& writer = *openedWriter.writer; // discards its temporary files unless finished

    const long long limit = arguments.frames.value_or(defaultFrameLimit(*input.spec));
    const app::FrameShape shape = arguments.size.isNative() ? app::FrameShape::Native : app::FrameShape::CropToAspect;
    const cv::Size target(arguments.size.width, arguments.size.height);

    // Ctrl-C stops reading (a camera never ends) and still writes what was processed; so do
    // SIGTERM and SIGHUP (a closed terminal), which would otherwise leave the temporaries behind.
    catchStopSignals();

    long long framesRead = 0;
    long long framesProcessed = 0;
    long long framesFailed = 0;
    std::string firstFailure;
    FrameTimes engineMs;
    cv::Size inputSize;
    cv::Size engineInputSize;
    cv::Mat frame;
    cv::Mat output;
    while (stopSignal() == 0 && (limit == 0 || framesRead < limit)) {
        const app::ReadStatus status = source.read(frame);
        if (status == app::ReadStatus::EndOfStream) {
            break;
        }
        if (status == app::ReadStatus::Error) {
            writer.discard();
            return fail(source.error());
        }
        const long long index = framesRead++;
        if (status == app::ReadStatus::BadFrame) {
            ++framesFailed;
            if (firstFailure.empty()) {
                firstFailure = source.error();
            }
            continue;
        }
        if (index % arguments.every != 0) {
            continue;
        }
        inputSize = frame.size();
        const cv::Mat prepared = app::prepareFrame(frame, shape, target);
        engineInputSize = prepared.size();
        const Size outSize = outputSize({prepared.cols, prepared.rows}, arguments.params.stride);
        output.create(outSize.height, outSize.width, CV_8UC4);
        try {
            backend->process(app::toImageView(prepared), app::toMutableImageView(output), arguments.params);
            engineMs.add(backend->lastTimings().totalMs);
        } catch (const std::exception& error) {
            ++framesFailed;
            if (firstFailure.empty()) {
                firstFailure = "the " + backend->name() + " backend failed on frame " + std::to_string(index) + ": " +
                               app::inWords(error);
            }
            continue;
        }
        ++framesProcessed;
        if (!writer.write(output)) {
            writer.discard();
            return fail(writer.error());
        }
    }

    if (framesProcessed == 0) {
        writer.discard();
        if (stopSignal() != 0) {
            fail("stopped by signal " + std::to_string(stopSignal()) +
                 " before any frame was processed; nothing was written");
            return completedStatus();
        }
        if (!firstFailure.empty()) {
            return fail("no frame of " + app::quoted(source.description()) + " was processed: " + firstFailure);
        }
        return fail("no frame of " + app::quoted(source.description()) + " was processed (the input has no frames)");
    }
    // A second stop signal cannot cut this short: the signal thread only notes it.
    if (!writer.finish()) {
        return fail(writer.error());
    }

    std::cout << "input:     " << app::printable(source.description()) << " ("
              << sizeText(inputSize.width, inputSize.height);
    if (source.framesPerSecond() > 0.0) {
        std::cout << ", " << source.framesPerSecond() << " fps";
    }
    std::cout << ")\n";
    std::cout << "backend:   " << backend->name() << " on " << backend->deviceName() << "\n";
    if (!backendNote.empty()) {
        std::cout << "note:      " << backendNote << "\n";
    }
    const Size outSize = outputSize({engineInputSize.width, engineInputSize.height}, arguments.params.stride);
    std::cout << "blur:      " << describeParams(arguments.params) << "; "
              << sizeText(engineInputSize.width, engineInputSize.height) << " -> "
              << sizeText(outSize.width, outSize.height) << "\n";
    std::cout << "frames:    " << framesRead << " read, " << framesProcessed << " processed, " << framesFailed
              << " failed" << (stopSignal() != 0 ? " (stopped by a signal)" : "") << "\n";
    std::cout << "output:    " << app::printable(writer.description()) << "\n";
    std::cout << "engine:    median " << milliseconds(engineMs.percentile(0.5)) << ", p99 "
              << milliseconds(engineMs.percentile(0.99)) << " per frame\n";
    if (framesFailed > 0) {
        std::cerr << "blurcam-cli: warning: " << framesFailed << " of " << framesRead
                  << " frames failed and were skipped; first: " << firstFailure << "\n";
    } else if (!source.warning().empty()) { // damage the decoders got past, in one line
        std::cerr << "blurcam-cli: warning: " << source.warning() << "\n";
    }
    return completedStatus();
}

int runBench(const Arguments& arguments) {
    std::string backendNote;
    const std::unique_ptr<Backend> backend = startBackend(arguments, backendNote);
    if (!backend) {
        return kExitFailure;
    }
    constexpr int kWarmUpFrames = 5;
    const long long frames = arguments.frames.value_or(200);
    // Noise defeats any shortcut a backend might take on flat regions.
    cv::Mat input(arguments.size.height, arguments.size.width, CV_8UC4);
    cv::RNG random(12345);
    random.fill(input, cv::RNG::UNIFORM, 0, 256);
    const Size outSize = outputSize({input.cols, input.rows}, arguments.params.stride);
    cv::Mat output(outSize.height, outSize.width, CV_8UC4);
    const ImageView src = app::toImageView(input);
    const MutableImageView dst = app::toMutableImageView(output);

    FrameTimes total;
    FrameTimes upload;
    FrameTimes compute;
    FrameTimes download;
    try {
        for (int i = 0; i < kWarmUpFrames; ++i) {
            backend->process(src, dst, arguments.params);
        }
        for (long long i = 0; i < frames; ++i) {
            backend->process(src, dst, arguments.params);
            const FrameTimings stages = backend->lastTimings();
            total.add(stages.totalMs);
            upload.add(stages.uploadMs);
            compute.add(stages.computeMs);
            download.add(stages.downloadMs);
        }
    } catch (const std::exception& error) {
        return fail("the " + backend->name() + " backend failed: " + app::inWords(error));
    }
    std::cout << "backend:   " << backend->name() << " on " << backend->deviceName() << "\n";
    if (!backendNote.empty()) {
        std::cout << "note:      " << backendNote << "\n";
    }
    std::cout << "blur:      " << describeParams(arguments.params) << "; " << sizeText(input.cols, input.rows) << " -> "
              << sizeText(outSize.width, outSize.height) << "\n";
    std::cout << "frames:    " << frames << " timed (after " << kWarmUpFrames << " warm-up)\n";
    std::cout << "per frame: median " << milliseconds(total.percentile(0.5)) << ", p99 "
              << milliseconds(total.percentile(0.99)) << "\n";
    std::cout << "stages:    upload " << milliseconds(upload.percentile(0.5)) << ", compute "
              << milliseconds(compute.percentile(0.5)) << ", download " << milliseconds(download.percentile(0.5))
              << " (medians reported by the backend)\n";
    return kExitSuccess;
}

int runPlan(const Arguments& arguments) {
    std::vector<FftPlanRequest> requests;
    std::string sizes;
    for (const FrameSize& size : arguments.planSizes) {
        requests.push_back({{size.width, size.height}, arguments.params});
        sizes += (sizes.empty() ? "" : ", ") + sizeText(size.width, size.height);
    }
    std::cout << "Measuring FFT plans for " << sizes << " (" << describeParams(arguments.params) << ")...\n"
              << std::flush;
    const std::int64_t startedNs = steadyNowNs();
    const FftPlanReport report = planFftSizes(requests, arguments.planSeconds);
    const double seconds = millisecondsSince(startedNs) / 1000.0;
    if (!report.error.empty()) {
        return fail(report.error);
    }
    const int measured = report.transformsPlanned - report.transformsKnown;
    char took[32];
    std::snprintf(took, sizeof took, "%.1f s", seconds);
    if (measured == 0) {
        std::cout << "All " << report.transformsPlanned << " transforms were already known; nothing to measure ("
                  << took << ").\n";
    } else {
        std::cout << "Measured " << measured << " of " << report.transformsPlanned << " transforms in " << took << " ("
                  << report.transformsKnown << " already known).\n";
    }
    std::cout << "Wisdom: " << report.wisdomPath << "\n";
    return kExitSuccess;
}

int runDevices() {
    std::cout << "Cameras:\n";
    std::vector<int> indices;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator("/dev", error)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("video", 0) == 0 && name.size() > 5 &&
            std::all_of(name.begin() + 5, name.end(), [](unsigned char c) { return std::isdigit(c); })) {
            indices.push_back(std::stoi(name.substr(5)));
        }
    }
    std::sort(indices.begin(), indices.end());
    if (indices.empty()) {
        std::cout << "  none (no /dev/video* devices)\n";
    }
    for (const int index : indices) {
        std::string name;
        std::ifstream sysName("/sys/class/video4linux/video" + std::to_string(index) + "/name");
        std::getline(sysName, name);
        std::cout << "  camera:" << index << "  /dev/video" << index << "  " << (name.empty() ? "(no name)" : name)
                  << "\n";
    }
    std::cout << "Vulkan devices:\n";
    const GpuDeviceList gpus = listGpuDevices();
    if (gpus.devices.empty()) {
        std::cout << "  none (" << (gpus.error.empty() ? "no Vulkan device found" : gpus.error) << ")\n";
    }
    for (const GpuDevice& gpu : gpus.devices) {
        std::cout << (gpu.selected ? "* " : "  ") << gpu.index << "  " << gpu.name << " (" << gpu.type << ")"
                  << (gpu.selected ? "  [selected for --backend vulkan]" : "") << "\n";
    }
    printVirtualCameraDevices(std::cout);
    return kExitSuccess;
}

} // namespace blurcam::cli
