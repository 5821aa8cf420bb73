#include "process_worker.hpp"

#include "exception_words.hpp"

#include "display_frame.hpp"

#include <blurcam/steady_clock.hpp>

#include <chrono>
#include <exception>
#include <stdexcept>

namespace blurcam::gui::detail {

ProcessWorker::ProcessWorker(BackendMaker maker, std::shared_ptr<SharedState> shared)
    : m_maker(std::move(maker)), m_shared(std::move(shared)) {}

ProcessWorker::~ProcessWorker() = default;

void ProcessWorker::shutdown(QThread* home) {
    m_backend.reset(); // GPU contexts are released on the thread that made them
    moveToThread(home);
}

BackendResult ProcessWorker::makeBackend(BackendKind kind) const {
    // A maker that throws (a driver that aborts its own setup) reads like one that says no.
    BackendResult result;
    try {
        result = m_maker(kind);
    } catch (const std::exception& error) {
        result.backend.reset();
        result.error = app::inWords(error, "the backend");
    }
    return result;
}

bool ProcessWorker::activate(BackendKind kind, std::unique_ptr<Backend> backend) {
    if (!backend) {
        return false;
    }
    m_backend = std::move(backend);
    m_kind = kind;
    emit backendChanged(kind, fromStd(m_backend->name()), fromStd(m_backend->deviceName()));
    return true;
}

void ProcessWorker::probeAndStart(BackendKind kind) {
    QList<BackendAvailability> list;
    std::unique_ptr<Backend> chosen;
    QString chosenError;
    for (const NamedValue<BackendKind>& named : kBackendKinds) {
        const BackendKind candidate = named.value;
        if (candidate == BackendKind::Auto) {
            continue; // the GUI shows what runs: each kind on its own
        }
        BackendResult result = makeBackend(candidate);
        BackendAvailability entry;
        entry.kind = candidate;
        entry.available = result.backend != nullptr;
        entry.detail = result.backend ? fromStd(result.backend->name() + " on " + result.backend->deviceName())
                                      : fromStd(result.error);
        list.push_back(entry);
        if (candidate == kind) {
            chosen = std::move(result.backend);
            chosenError = entry.detail;
        }
    }
    emit backendsProbed(list);
    if (!activate(kind, std::move(chosen))) {
        fallBackToCpu(kind, chosenError);
    }
}

void ProcessWorker::setBackend(BackendKind kind) {
    if (m_backend && kind == m_kind) {
        return;
    }
    BackendResult result = makeBackend(kind);
    if (!activate(kind, std::move(result.backend))) {
        fallBackToCpu(kind, fromStd(result.error));
    }
}

void ProcessWorker::fallBackToCpu(BackendKind failed, const QString& error) {
    emit backendFailed(failed, error);
    if (failed == BackendKind::Cpu) {
        m_backend.reset();
        return;
    }
    BackendResult cpu = makeBackend(BackendKind::Cpu);
    if (!activate(BackendKind::Cpu, std::move(cpu.backend))) {
        m_backend.reset();
        emit processingError(tr("The CPU backend cannot start either: %1").arg(fromStd(cpu.error)));
    }
}

void ProcessWorker::submitToSinks(cv::Size engineInput, qint64 captureNs) {
    std::vector<std::shared_ptr<app::FrameSink>> sinks;
    {
        const std::lock_guard lock(m_shared->sinkMutex);
        sinks = m_shared->sinks;
    }
    if (sinks.empty()) {
        return;
    }
    // The outputs' default size: the camera's own, cut to the shape the engine saw (a square
    // crop stays square, scaled up to the camera's height), so nothing is stretched.
    const cv::Size source = m_shared->sourceSize();
    const cv::Size size = source.area() > 0 ? app::centredCropRect(source, engineInput).size() : engineInput;
    const std::chrono::steady_clock::time_point captured{std::chrono::nanoseconds(captureNs)};
    for (const auto& sink : sinks) {
        sink->submit(m_output, size, captured);
    }
}

void ProcessWorker::processLatest() {
    // Cleared before taking, so a frame put after this point always wakes us again.
    m_shared->wakePending.store(false);
    cv::Mat input;
    qint64 captureNs = 0;
    if (!m_shared->mailbox.take(input, captureNs) || !m_backend) {
        return;
    }
    const Size outSize = outputSize({input.cols, input.rows}, m_params.stride);
    m_output.create(outSize.height, outSize.width, CV_8UC4);
    const auto started = std::chrono::steady_clock::now();
    try {
        m_backend->process(app::toImageView(input), app::toMutableImageView(m_output), m_params);
    } catch (const std::invalid_argument& error) {
        emit processingError(fromStd(app::inWords(error, "the frame")));
        return;
    } catch (const std::exception& error) {
        if (m_kind == BackendKind::Cpu) {
            emit processingError(fromStd(app::inWords(error, "the frame")));
            return;
        }
        // The frame in hand is redone on the CPU, so the display never skips because of it.
        fallBackToCpu(m_kind, fromStd(app::inWords(error, "the frame")));
        if (!m_backend) {
            return;
        }
        try {
            m_backend->process(app::toImageView(input), app::toMutableImageView(m_output), m_params);
        } catch (const std::exception& cpuError) {
            emit processingError(fromStd(app::inWords(cpuError, "the frame")));
            return;
        }
    }
    const double engineMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    // The time first, so a reader that sees the new count never pairs it with an older time.
    m_shared->lastProcessedNs.store(steadyNowNs());
    m_shared->processed.fetch_add(1);
    submitToSinks(input.size(), captureNs);
    if (m_shared->processedInFlight.load() < kMaxFramesInFlight) {
        m_shared->processedInFlight.fetch_add(1);
        // m_output is written again next frame: the window gets its own copy (input is ours
        // alone, the mailbox handed it over). A frame the window is too busy for costs no copy.
        const cv::Mat output = m_output.clone();
        ProcessedFrame frame;
        frame.output = sharedImage(output, QImage::Format_RGBA8888);
        frame.input = sharedImage(input, QImage::Format_RGBA8888);
        frame.display = displayImage(output, m_shared->displayBox());
        frame.captureNs = captureNs;
        frame.engineMs = engineMs;
        frame.timings = m_backend->lastTimings();
        frame.backend = m_kind;
        frame.params = m_params;
        emit processed(frame);
    }
}

} // namespace blurcam::gui::detail
