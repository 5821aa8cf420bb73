#include "capture_worker.hpp"

#include "exception_words.hpp"

#include "display_frame.hpp"
#include "source_names.hpp"

#include <blurcam/steady_clock.hpp>

#include <QTimer>

#include <algorithm>
#include <exception>

namespace blurcam::gui::detail {

namespace {

constexpr int kFirstRetryMs = 250;
constexpr int kMaxRetryMs = 4000;
constexpr double kMaxFps = 120.0;

} // namespace

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
        opened.error = app::inWords(error, "opening " + m_spec.toStdString());
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
    const std::optional<app::SourceSpec> opened = parseSource(m_spec);
    if (!m_wasOpen || !opened || !opened->isLive()) {
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
        fail(app::inWords(error, "reading a frame"));
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
    m_shared->setSourceSize(frame.size());
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

} // namespace blurcam::gui::detail
