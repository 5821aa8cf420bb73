#include "live_output.hpp"

#include "commands.hpp"
#include "constants.hpp"
#include "exception_words.hpp"
#include "frame_convert.hpp"
#include "frame_recorder.hpp"
#include "frame_sink.hpp"
#include "frame_source.hpp"
#include "pipewire_support.hpp"
#include "quoted.hpp"
#include "stop_signals.hpp"
#include "v4l2_devices.hpp"

#include "blurcam/blurcam.hpp"

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

namespace blurcam::cli {
namespace {

double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

int fail(const std::string& message) {
    std::cerr << "blurcam-cli: " << message << "\n";
    return kExitFailure;
}

} // namespace

bool isLiveOutput(const std::string& output) {
    return app::parseSinkSpec(output).has_value();
}

int runLiveOutput(const Arguments& arguments) {
    // The conversions per frame are small; OpenCV's thread pool (TBB on Debian) would spin its
    // workers between frames and cost more CPU than it saves. The engine has its own --threads.
    cv::setNumThreads(1);
    const app::SinkSpec spec = *app::parseSinkSpec(arguments.output);
    const app::ParsedSourceSpec input = app::parseSourceSpec(arguments.input);
    if (!input.spec) {
        return fail(input.error);
    }
    app::SourceOptions sourceOptions;
    sourceOptions.cameraMode = arguments.cameraMode;
    sourceOptions.loopFiles = true; // a camera does not end; neither does a file played into one
    app::OpenedSource opened = app::openFrameSource(*input.spec, sourceOptions);
    if (!opened.source) {
        return fail(opened.error);
    }
    std::unique_ptr<app::FrameSource> source = std::move(opened.source);

    BackendOptions backendOptions;
    backendOptions.threads = arguments.threads;
    BackendResult made = createBackend(arguments.backend, backendOptions);
    if (!made.backend) {
        return fail("cannot start the " + std::string(toString(arguments.backend)) + " backend: " + made.error);
    }
    Backend& backend = *made.backend;

    // Status changes arrive on the sink's thread: one line each, never interleaved.
    std::mutex printing;
    const std::string name = app::toString(spec);
    app::SinkOptions sinkOptions;
    sinkOptions.size = cv::Size(arguments.outputSize.width, arguments.outputSize.height);
    sinkOptions.fps = source->framesPerSecond() > 0.0 ? source->framesPerSecond() : app::kDefaultFramesPerSecond;
    sinkOptions.mirror = arguments.mirror;
    sinkOptions.onStatus = [&printing, name](const app::SinkStatus& status) {
        const std::lock_guard lock(printing);
        if (!status.error.empty()) {
            std::cerr << "blurcam-cli: " << name << ": " << status.error << std::endl;
        } else if (status.stalled) {
            std::cout << "output:    " << app::printable(name)
                      << ": a program watching is not taking frames; blurcam drops them until it does" << std::endl;
        } else if (status.connected) {
            std::cout << "output:    " << app::printable(name) << ": " << app::describeWatchers(status)
                      << (status.format.empty() ? "" : " (" + status.format + ")") << std::endl;
        }
    };
    // The recording first: a name that would replace the input, or a folder that cannot take it,
    // is refused before anything is published.
    app::OpenedSink recording;
    std::string recordingError; ///< the last error the recorder reported: the run failed
    if (!arguments.record.empty()) {
        app::SinkOptions recordOptions = sinkOptions;
        recordOptions.mirror = arguments.mirror;
        recordOptions.onStatus = [&printing, &recordingError](const app::SinkStatus& status) {
            const std::lock_guard lock(printing);
            if (!status.error.empty() && status.error != recordingError) {
                std::cerr << "blurcam-cli: " << status.error << std::endl;
                recordingError = status.error;
            }
        };
        app::RecordingRules rules;
        rules.overwrite = arguments.overwrite;
        if (input.spec->kind == app::SourceKind::File) {
            rules.protectedFiles.emplace_back(input.spec->name);
        }
        recording = app::openFrameRecorder(arguments.record, recordOptions, rules);
        if (!recording.sink) {
            if (recording.conflict) {
                throw UsageError(recording.error);
            }
            return fail(recording.error);
        }
    }

    app::OpenedSink openedSink = app::openFrameSink(spec, sinkOptions);
    if (!openedSink.sink) {
        return fail(openedSink.error);
    }
    app::FrameSink& sink = *openedSink.sink;

    // The first stop signal ends the run cleanly: the node disappears, the summary is printed.
    catchStopSignals();
    {
        const std::lock_guard lock(printing);
        std::cout << "input:     " << app::printable(source->description()) << "\n"
                  << "backend:   " << backend.name() << " on " << backend.deviceName() << "\n"
                  << "streaming: to " << name << " until Ctrl-C" << std::endl;
    }

    // The pattern and files return at once: pace them at their own rate, as a camera would be.
    const bool paced = !input.spec->isLive();
    const auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(1.0 / sinkOptions.fps));
    const long long limit = arguments.frames.value_or(0);
    const app::FrameShape shape = arguments.size.isNative() ? app::FrameShape::Native : app::FrameShape::CropToAspect;
    const cv::Size target(arguments.size.width, arguments.size.height);

    const double cpuAtStart = cpuSeconds();
    const auto wallAtStart = std::chrono::steady_clock::now();
    auto nextFrame = wallAtStart;
    long long framesRead = 0;
    long long framesProcessed = 0;
    long long inputOutages = 0;
    cv::Mat frame;
    cv::Mat output;
    while (stopSignal() == 0 && (limit == 0 || framesRead < limit)) {
        if (paced) {
            (void)waitForStopSignal(nextFrame);
            nextFrame += interval;
        }
        const app::ReadStatus status = source ? source->read(frame) : app::ReadStatus::Error;
        if (status == app::ReadStatus::EndOfStream || status == app::ReadStatus::BadFrame) {
            continue;
        }
        if (status == app::ReadStatus::Error) {
            // The output stays up and repeats the last picture; the input is tried again each second.
            if (source) {
                const std::lock_guard lock(printing);
                std::cerr << "blurcam-cli: " << source->error() << "; trying again every second" << std::endl;
                ++inputOutages;
            }
            source.reset();
            (void)waitForStopSignal(std::chrono::steady_clock::now() + std::chrono::seconds(1));
            app::SourceOptions retryOptions = sourceOptions;
            retryOptions.cameraOpenTimeoutMs = 2000;
            app::OpenedSource again = app::openFrameSource(*input.spec, retryOptions);
            if (again.source) {
                source = std::move(again.source);
                const std::lock_guard lock(printing);
                std::cout << "input:     " << app::printable(source->description()) << " is back" << std::endl;
            }
            continue;
        }
        const auto captured = std::chrono::steady_clock::now();
        const long long index = framesRead++;
        if (index % arguments.every != 0) {
            continue;
        }
        const cv::Mat prepared = app::prepareFrame(frame, shape, target);
        const Size outSize = outputSize({prepared.cols, prepared.rows}, arguments.params.stride);
        output.create(outSize.height, outSize.width, CV_8UC4);
        try {
            backend.process(app::toImageView(prepared), app::toMutableImageView(output), arguments.params);
        } catch (const std::exception& error) {
            return fail("the " + backend.name() + " backend failed on frame " + std::to_string(index) + ": " +
                        app::inWords(error));
        }
        ++framesProcessed;
        // The output's default size is the camera's own, not the engine's input size; cut to the
        // shape the engine saw when --size crops, so nothing is stretched.
        const cv::Size size = app::centredCropRect(frame.size(), prepared.size()).size();
        sink.submit(output, size, captured);
        if (recording.sink) {
            recording.sink->submit(output, size, captured);
        }
    }

    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallAtStart).count();
    const double cpu = cpuSeconds() - cpuAtStart;
    const app::SinkStatus status = sink.status();
    openedSink.sink.reset(); // the node disappears before the summary
    std::string recorded;
    if (recording.sink) {
        const app::SinkStatus last = recording.sink->status();
        recording.sink.reset(); // writes what is still queued, finishes the file and renames it into place
        const std::lock_guard lock(printing);
        recorded = arguments.record + (recordingError.empty() ? "" : " (failed: " + recordingError + ")") +
                   (last.framesDropped > 0 ? ", " + std::to_string(last.framesDropped) + " frames dropped" : "");
    }
    const std::lock_guard lock(printing);
    char line[256];
    std::cout << "frames:    " << framesRead << " read, " << framesProcessed << " processed"
              << (inputOutages > 0 ? ", input lost " + std::to_string(inputOutages) + " times" : "")
              << (stopSignal() != 0 ? " (interrupted)" : "") << "\n";
    std::cout << "sent:      " << status.framesSent << " frames to " << name << ", " << status.framesDropped
              << " dropped (no free consumer buffer)" << (status.format.empty() ? "" : "; last format " + status.format)
              << "\n";
    std::snprintf(line, sizeof line,
                  "latency:   median %.1f ms, p99 %.1f ms from frame read to first send (%lld frames)\n",
                  status.latencyMedianMs, status.latencyP99Ms, status.latencySamples);
    std::cout << line;
    std::snprintf(line, sizeof line, "cpu:       %.3f s per wall second (%.1f%% of one core) over %.1f s\n",
                  wall > 0.0 ? cpu / wall : 0.0, wall > 0.0 ? 100.0 * cpu / wall : 0.0, wall);
    std::cout << line;
    if (!recorded.empty()) {
        std::cout << "recorded:  " << app::printable(recorded) << "\n";
    }
    std::cout << std::flush;
    // A recording that failed is a failed run, even though the stream itself went on.
    return recordingError.empty() ? completedStatus() : kExitFailure;
}

void printVirtualCameraDevices(std::ostream& out) {
    const std::vector<app::VideoDevice> devices = app::listVideoDevices();
    out << "Camera modes (--camera-mode; * the default):\n";
    bool anyCamera = false;
    for (const app::VideoDevice& device : devices) {
        if (!device.capture || device.loopbackOutput || device.modes.empty()) {
            continue;
        }
        anyCamera = true;
        const std::optional<app::CameraMode> chosen = app::defaultCameraMode(device.modes);
        out << "  camera:" << device.index << "  " << device.card << "\n";
        for (const app::CameraMode& mode : device.modes) {
            const bool isDefault =
                chosen && mode.format == chosen->format && mode.width == chosen->width && mode.height == chosen->height;
            out << (isDefault ? "    * " : "      ") << app::toString(mode) << "\n";
        }
    }
    if (!anyCamera) {
        out << "  none\n";
    }
    out << "Virtual camera outputs (--output v4l2:DEVICE):\n";
    bool anyLoopback = false;
    for (const app::VideoDevice& device : devices) {
        if (device.loopbackOutput) {
            anyLoopback = true;
            out << "  v4l2:" << device.path << "  " << device.card << "\n";
        }
    }
    if (!anyLoopback) {
        out << "  none (sudo apt install v4l2loopback-dkms && sudo modprobe v4l2loopback video_nr=10 "
               "card_label=blurcam exclusive_caps=1); --output pipewire needs no module\n";
    }
    out << "PipeWire cameras (--input pipewire:NAME):\n";
    const app::PipeWireNodeList nodes = app::listPipeWireVideoSources();
    if (!nodes.error.empty()) {
        out << "  none (" << nodes.error << ")\n";
    } else if (nodes.sources.empty()) {
        out << "  none\n";
    }
    for (const app::PipeWireNode& node : nodes.sources) {
        out << "  pipewire:" << node.name << (node.description.empty() ? "" : "  " + node.description) << "\n";
    }
}

} // namespace blurcam::cli
