#include "pipeline.hpp"

#include "display_frame.hpp"

#include "constants.hpp"

#include <blurcam/steady_clock.hpp>

#include <QTimer>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <exception>

namespace blurcam::gui {

namespace {

constexpr int kFirstRetryMs = 250;
constexpr int kMaxRetryMs = 4000;
/// Frames emitted to the GUI but not yet shown; beyond this the GUI is behind and a frame for
/// it is skipped rather than queued in the event loop.
constexpr int kMaxFramesInFlight = 2;
constexpr double kMaxFps = 120.0;

QString fromStd(const std::string& text) {
    return QString::fromStdString(text);
}

} // namespace

SourceOpener defaultSourceOpener() {
    return [](const std::string& spec) {
        app::SourceOptions options;
        options.loopFiles = true; // the app plays a video file over and over
        // Drawn at the engine's size: no crop or resize per frame, and it is made for the square.
        options.patternSize = {kFrameSide, kFrameSide};
        return app::openFrameSource(spec, options);
    };
}

BackendMaker defaultBackendMaker() {
    return [](BackendKind kind) { return createBackend(kind); };
}

QImage toQImage(const cv::Mat& rgba) {
    if (rgba.empty()) {
        return {};
    }
    return QImage(rgba.data, rgba.cols, rgba.rows, static_cast<qsizetype>(rgba.step), QImage::Format_RGBA8888).copy();
}

namespace detail {

bool LatestFrame::put(cv::Mat frame, qint64 captureNs) {
    std::lock_guard lock(m_mutex);
    const bool replaced = m_full;
    m_frame = std::move(frame);
    m_captureNs = captureNs;
    m_full = true;
    return replaced;
}

bool LatestFrame::take(cv::Mat& frame, qint64& captureNs) {
    std::lock_guard lock(m_mutex);
    if (!m_full) {
        return false;
    }
    frame = std::move(m_frame);
    m_frame = cv::Mat();
    captureNs = m_captureNs;
    m_full = false;
    return true;
}

// ---- capture ----------------------------------------------------------------------------

CaptureWorker::CaptureWorker(SourceOpener opener, std::shared_ptr<SharedState> shared)
    : m_opener(std::move(opener)), m_shared(std::move(shared)) {
    // Two timers, each connected once: the next read, paced at the source's rate, and the next
    // attempt to reopen a camera that went away. At most one of them runs.
    m_readTimer = new QTimer(this);
    m_readTimer->setSingleShot(true);
    m_readTimer->setTimerType(Qt::PreciseTimer);
    connect(m_readTimer, &QTimer::timeout, this, &CaptureWorker::step);
    m_retryTimer = new QTimer(this);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &CaptureWorker::tryOpen);
}

void CaptureWorker::stopTimers() {
    m_readTimer->stop();
    m_retryTimer->stop();
}

CaptureWorker::~CaptureWorker() = default;

void CaptureWorker::openSource(const QString& spec) {
    stopTimers();
    m_source.reset();
    m_spec = spec;
    m_failing = false;
    m_wasOpen = false;
    m_backoffMs = kFirstRetryMs;
    tryOpen();
}

void CaptureWorker::retryNow() {
    if (m_failing) {
        m_backoffMs = kFirstRetryMs;
        stopTimers();
        tryOpen();
    }
}

void CaptureWorker::shutdown(QThread* home) {
    m_stopped = true;
    stopTimers();
    m_source.reset();
    moveToThread(home);
}

void CaptureWorker::tryOpen() {
    if (m_stopped) {
        return;
    }
    app::OpenedSource opened;
    try {
        opened = m_opener(m_spec.toStdString());
    } catch (const std::exception& error) {
        opened.error = error.what();
    }
    if (!opened.source) {
        fail(opened.error.empty() ? "cannot open " + m_spec.toStdString() : opened.error);
        return;
    }
    m_source = std::move(opened.source);
    m_wasOpen = true;
    const double fps = m_source->framesPerSecond();
    m_periodMs = 1000.0 / (fps > 0.0 ? std::min(fps, kMaxFps) : app::kDefaultFramesPerSecond);
    const QString description = fromStd(m_source->description());
    if (m_failing) {
        m_failing = false;
        emit sourceRecovered(description);
    } else {
        emit sourceOpened(description);
    }
    m_backoffMs = kFirstRetryMs;
    m_nextReadNs = 0;
    m_retryTimer->stop();
    m_readTimer->start(0);
}

void CaptureWorker::fail(const std::string& error) {
    m_source.reset();
    m_failing = true;
    // Only a camera that was working is worth waiting for (unplugged, it comes back). A file
    // that cannot be read, or a source that never opened, fails the same way every time: said
    // once, not retried every few seconds (retryNow() still tries again on request).
    if (!m_wasOpen || !m_spec.startsWith(QLatin1String("camera:"))) {
        stopTimers();
        emit sourceFailed(fromStd(error), -1);
        return;
    }
    emit sourceFailed(fromStd(error), m_backoffMs);
    m_readTimer->stop();
    m_retryTimer->start(m_backoffMs);
    // Backoff: a camera being replugged comes back within a second or two; a missing one
    // should not cost a busy loop.
    m_backoffMs = std::min(m_backoffMs * 2, kMaxRetryMs);
}

void CaptureWorker::step() {
    if (m_stopped || !m_source) {
        return;
    }
    cv::Mat frame;
    app::ReadStatus status = app::ReadStatus::Error;
    try {
        status = m_source->read(frame);
    } catch (const std::exception& error) {
        fail(error.what());
        return;
    }
    const qint64 now = steadyNowNs();
    switch (status) {
    case app::ReadStatus::Error: fail(m_source->error()); return;
    case app::ReadStatus::EndOfStream:
        // Sources are opened looping; one that still ends (a single image) is reopened.
        m_source.reset();
        tryOpen();
        return;
    case app::ReadStatus::BadFrame: m_readTimer->start(0); return;
    case app::ReadStatus::Frame: break;
    }

    m_shared->captured.fetch_add(1);
    m_shared->sourceWidth.store(frame.cols);
    m_shared->sourceHeight.store(frame.rows);
    cv::Mat shaped = app::prepareFrame(frame, m_shape, cv::Size(kFrameSide, kFrameSide));
    if (shaped.data == frame.data) {
        // Native (or already the right size): the source may write into this buffer next time.
        shaped = shaped.clone();
    }
    if (m_shared->originalsInFlight.load() < kMaxFramesInFlight) {
        m_shared->originalsInFlight.fetch_add(1);
        emit originalFrame(displayImage(shaped, m_shared->displayBox()), now);
    }
    if (m_frameIndex++ % static_cast<quint64>(std::max(1, m_everyN)) == 0) {
        m_shared->submitted.fetch_add(1);
        if (m_shared->mailbox.put(std::move(shaped), now)) {
            m_shared->dropped.fetch_add(1);
        }
        if (!m_shared->wakePending.exchange(true)) {
            emit frameReady();
        }
    }

    // Pace sources that do not block (pattern, files) at their nominal rate. A camera's read()
    // already waits for its next frame, so it is never early and the wait is about zero; a
    // source that fell behind is not made to catch up with a burst.
    const auto periodNs = static_cast<qint64>(m_periodMs * 1e6);
    m_nextReadNs = std::max(m_nextReadNs == 0 ? now + periodNs : m_nextReadNs + periodNs, now);
    const auto waitMs = static_cast<int>(std::max<qint64>(0, m_nextReadNs - steadyNowNs()) / 1000000);
    m_readTimer->start(waitMs);
}

// ---- processing -------------------------------------------------------------------------

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
        result.error = error.what();
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
    const cv::Size source(m_shared->sourceWidth.load(), m_shared->sourceHeight.load());
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
        emit processingError(fromStd(error.what()));
        return;
    } catch (const std::exception& error) {
        if (m_kind == BackendKind::Cpu) {
            emit processingError(fromStd(error.what()));
            return;
        }
        // The frame in hand is redone on the CPU, so the display never skips because of it.
        fallBackToCpu(m_kind, fromStd(error.what()));
        if (!m_backend) {
            return;
        }
        try {
            m_backend->process(app::toImageView(input), app::toMutableImageView(m_output), m_params);
        } catch (const std::exception& cpuError) {
            emit processingError(fromStd(cpuError.what()));
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

} // namespace detail

// ---- controller -------------------------------------------------------------------------

Pipeline::Pipeline(SourceOpener opener, BackendMaker maker, QObject* parent)
    : QObject(parent), m_shared(std::make_shared<detail::SharedState>()),
      m_capture(std::make_unique<detail::CaptureWorker>(std::move(opener), m_shared)),
      m_process(std::make_unique<detail::ProcessWorker>(std::move(maker), m_shared)) {
    // The frames here are small (256x256 into the engine, a few hundred pixels a side for the
    // screen): waking OpenCV's worker threads for each cost more CPU than the work itself.
    cv::setNumThreads(0);
    qRegisterMetaType<ProcessedFrame>();
    qRegisterMetaType<BackendAvailability>();
    qRegisterMetaType<QList<BackendAvailability>>();
    qRegisterMetaType<BackendKind>();

    m_captureThread.setObjectName(QStringLiteral("blurcam capture"));
    m_processThread.setObjectName(QStringLiteral("blurcam processing"));
    m_capture->moveToThread(&m_captureThread);
    m_process->moveToThread(&m_processThread);

    using detail::CaptureWorker;
    using detail::ProcessWorker;
    connect(m_capture.get(), &CaptureWorker::frameReady, m_process.get(), &ProcessWorker::processLatest);
    connect(m_capture.get(), &CaptureWorker::originalFrame, this, [this](const QImage& frame, qint64 captureNs) {
        m_shared->originalsInFlight.fetch_sub(1);
        emit originalFrame(frame, captureNs);
    });
    connect(m_process.get(), &ProcessWorker::processed, this, [this](const ProcessedFrame& frame) {
        m_shared->processedInFlight.fetch_sub(1);
        emit processedFrame(frame);
    });
    connect(m_capture.get(), &CaptureWorker::sourceOpened, this, &Pipeline::sourceOpened);
    connect(m_capture.get(), &CaptureWorker::sourceFailed, this, &Pipeline::sourceFailed);
    connect(m_capture.get(), &CaptureWorker::sourceRecovered, this, &Pipeline::sourceRecovered);
    connect(m_process.get(), &ProcessWorker::backendsProbed, this, &Pipeline::backendsProbed);
    connect(m_process.get(), &ProcessWorker::backendChanged, this, &Pipeline::backendChanged);
    connect(m_process.get(), &ProcessWorker::backendFailed, this, &Pipeline::backendFailed);
    connect(m_process.get(), &ProcessWorker::processingError, this, &Pipeline::processingError);

    m_captureThread.start();
    m_processThread.start();
}

Pipeline::~Pipeline() {
    // Bring each worker home on its own thread (it releases its camera / GPU context there),
    // then stop the threads; the unique_ptrs delete the workers on this thread afterwards.
    QThread* home = thread();
    QMetaObject::invokeMethod(
        m_capture.get(), [this, home] { m_capture->shutdown(home); }, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        m_process.get(), [this, home] { m_process->shutdown(home); }, Qt::BlockingQueuedConnection);
    m_captureThread.quit();
    m_processThread.quit();
    m_captureThread.wait();
    m_processThread.wait();
}

void Pipeline::start(const QString& source, BackendKind backend, const BlurParams& params, int everyN,
                     app::FrameShape shape) {
    QMetaObject::invokeMethod(m_process.get(), [worker = m_process.get(), backend, params] {
        worker->setParams(params);
        worker->probeAndStart(backend);
    });
    QMetaObject::invokeMethod(m_capture.get(), [worker = m_capture.get(), source, everyN, shape] {
        worker->setProcessEveryN(everyN);
        worker->setFrameShape(shape);
        worker->openSource(source);
    });
}

void Pipeline::setSource(const QString& source) {
    QMetaObject::invokeMethod(m_capture.get(), [worker = m_capture.get(), source] { worker->openSource(source); });
}

void Pipeline::retrySource() {
    QMetaObject::invokeMethod(m_capture.get(), [worker = m_capture.get()] { worker->retryNow(); });
}

void Pipeline::setBackend(BackendKind kind) {
    QMetaObject::invokeMethod(m_process.get(), [worker = m_process.get(), kind] { worker->setBackend(kind); });
}

void Pipeline::setParams(const BlurParams& params) {
    QMetaObject::invokeMethod(m_process.get(), [worker = m_process.get(), params] { worker->setParams(params); });
}

void Pipeline::setProcessEveryN(int everyN) {
    QMetaObject::invokeMethod(m_capture.get(),
                              [worker = m_capture.get(), everyN] { worker->setProcessEveryN(everyN); });
}

void Pipeline::setDisplayBox(QSize box) {
    m_shared->setDisplayBox(box);
}

void Pipeline::setFrameShape(app::FrameShape shape) {
    QMetaObject::invokeMethod(m_capture.get(), [worker = m_capture.get(), shape] { worker->setFrameShape(shape); });
}

void Pipeline::setFrameSinks(std::vector<std::shared_ptr<app::FrameSink>> sinks) {
    const std::lock_guard lock(m_shared->sinkMutex);
    m_shared->sinks = std::move(sinks);
}

PipelineCounters Pipeline::counters() const {
    PipelineCounters counters;
    counters.captured = m_shared->captured.load();
    counters.submitted = m_shared->submitted.load();
    counters.dropped = m_shared->dropped.load();
    counters.processed = m_shared->processed.load();
    counters.lastProcessedNs = m_shared->lastProcessedNs.load();
    return counters;
}

} // namespace blurcam::gui
