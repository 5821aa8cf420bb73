#include "pipeline.hpp"

#include "constants.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <exception>

namespace blurcam::gui {

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
