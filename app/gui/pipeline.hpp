#pragma once
// The capture/processing pipeline behind the desktop app. Two workers, each a QObject on its
// own QThread: the capture worker reads the FrameSource and shapes frames; the processing
// worker blurs. Between them sits a one-frame mailbox: the processing worker always takes the
// newest frame, and a frame it never got to is dropped and counted, never queued (Qt's
// Mandelbrot example restarts rather than queues for the same reason: latency stays one frame).

#include "constants.hpp"
#include "frame_convert.hpp"
#include "frame_sink.hpp"
#include "frame_source.hpp"

#include <blurcam/backend.hpp>

#include <QImage>
#include <QList>
#include <QObject>
#include <QSize>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

class QTimer;

namespace blurcam::gui {

/// Opens a source spec ("pattern", "camera:N", a file). Injected so tests can fake a camera.
using SourceOpener = std::function<app::OpenedSource(const std::string& spec)>;
/// Makes a backend of a kind. Injected so tests can fake a slow or failing backend.
using BackendMaker = std::function<BackendResult(BackendKind kind)>;

[[nodiscard]] SourceOpener defaultSourceOpener();
[[nodiscard]] BackendMaker defaultBackendMaker();

struct PipelineCounters {
    quint64 captured = 0;       ///< frames read from the source
    quint64 submitted = 0;      ///< frames handed to processing (1 in N of the captured)
    quint64 processed = 0;      ///< frames the engine blurred
    quint64 dropped = 0;        ///< submitted frames replaced by a newer one before processing got them
    qint64 lastProcessedNs = 0; ///< steady-clock time the last of the processed frames was done
};

struct BackendAvailability {
    BackendKind kind = BackendKind::Cpu;
    bool available = false;
    QString detail; ///< the backend's name and device, or why it cannot start
};

struct ProcessedFrame {
    QImage output;        ///< deep copy
    QImage input;         ///< deep copy of the engine's input
    QImage display;       ///< the output as the window shows it (see displayImage())
    qint64 captureNs = 0; ///< steady-clock time the source delivered the frame
    double engineMs = 0.0;
    FrameTimings timings;
    BackendKind backend = BackendKind::Cpu; ///< the backend that blurred it
    BlurParams params;                      ///< the parameters it was blurred with
};

namespace detail {

/// The one-frame mailbox between the capture and processing threads.
class LatestFrame {
  public:
    /// Returns true when it replaced a frame nobody had taken (that frame is dropped).
    bool put(cv::Mat frame, qint64 captureNs);
    bool take(cv::Mat& frame, qint64& captureNs);

  private:
    std::mutex m_mutex;
    cv::Mat m_frame;
    qint64 m_captureNs = 0;
    bool m_full = false;
};

struct SharedState {
    LatestFrame mailbox;
    std::atomic<bool> wakePending{false};  ///< at most one "frame ready" notification in flight
    std::atomic<int> originalsInFlight{0}; ///< frames emitted to the GUI and not yet shown
    std::atomic<int> processedInFlight{0};
    std::atomic<quint64> captured{0};
    std::atomic<quint64> submitted{0};
    std::atomic<quint64> processed{0};
    std::atomic<quint64> dropped{0};
    std::atomic<qint64> lastProcessedNs{0};
    // Live outputs (virtual camera, recording): every processed frame goes to each of them on the
    // processing thread; a sink never blocks. Replaced from the GUI thread under sinkMutex.
    std::mutex sinkMutex;
    std::vector<std::shared_ptr<app::FrameSink>> sinks;
    std::atomic<int> sourceWidth{0}; ///< the camera's own frame size, before shaping
    std::atomic<int> sourceHeight{0};

    /// The box each picture is shown in (set by the GUI, read by both workers).
    void setDisplayBox(QSize box) { m_displayBox.store((quint64(quint32(box.width())) << 32) | quint32(box.height())); }
    [[nodiscard]] QSize displayBox() const {
        const quint64 packed = m_displayBox.load();
        return {static_cast<int>(packed >> 32), static_cast<int>(packed & 0xffffffffU)};
    }

  private:
    std::atomic<quint64> m_displayBox{0};
};

class CaptureWorker : public QObject {
    Q_OBJECT
  public:
    CaptureWorker(SourceOpener opener, std::shared_ptr<SharedState> shared);
    ~CaptureWorker() override;

    void openSource(const QString& spec);
    void retryNow();
    void setProcessEveryN(int everyN) { m_everyN = everyN; }
    void setFrameShape(app::FrameShape shape) { m_shape = shape; }
    /// Stops reading and releases the source; runs on the worker's thread before it quits.
    void shutdown(QThread* home);

  signals:
    void sourceOpened(const QString& description);
    /// retryInMs < 0: not retried (a file, or a source that never opened).
    void sourceFailed(const QString& error, int retryInMs);
    void sourceRecovered(const QString& description);
    void originalFrame(const QImage& frame, qint64 captureNs);
    void frameReady();

  private:
    void tryOpen();
    void step();
    void fail(const std::string& error);
    void stopTimers();

    SourceOpener m_opener;
    std::shared_ptr<SharedState> m_shared;
    std::unique_ptr<app::FrameSource> m_source;
    QTimer* m_readTimer = nullptr;  ///< child: lives and dies on this worker's thread
    QTimer* m_retryTimer = nullptr; ///< child: reopens a camera that went away
    QString m_spec;
    int m_everyN = 2;
    app::FrameShape m_shape = app::FrameShape::CropToAspect;
    int m_backoffMs = 0;
    bool m_failing = false;
    bool m_wasOpen = false; ///< the current spec opened at least once (a camera lost, not missing)
    bool m_stopped = false;
    quint64 m_frameIndex = 0;
    double m_periodMs = 1000.0 / app::kDefaultFramesPerSecond;
    qint64 m_nextReadNs = 0; ///< steady-clock time the next read is due
};

class ProcessWorker : public QObject {
    Q_OBJECT
  public:
    ProcessWorker(BackendMaker maker, std::shared_ptr<SharedState> shared);
    ~ProcessWorker() override;

    /// Tries every backend once (their reasons feed the greyed-out entries), then starts `kind`.
    void probeAndStart(BackendKind kind);
    void setBackend(BackendKind kind);
    void setParams(const BlurParams& params) { m_params = params; }
    void processLatest();
    void shutdown(QThread* home);

  signals:
    void backendsProbed(const QList<blurcam::gui::BackendAvailability>& backends);
    void backendChanged(blurcam::BackendKind kind, const QString& name, const QString& device);
    /// kind could not start or failed mid-stream; the worker now runs on the CPU.
    void backendFailed(blurcam::BackendKind kind, const QString& error);
    void processingError(const QString& error);
    void processed(const blurcam::gui::ProcessedFrame& frame);

  private:
    /// The one place a backend is made: a maker that throws reads like one that says why not.
    [[nodiscard]] BackendResult makeBackend(BackendKind kind) const;
    bool activate(BackendKind kind, std::unique_ptr<Backend> backend);
    void submitToSinks(cv::Size engineInput, qint64 captureNs);
    void fallBackToCpu(BackendKind failed, const QString& error);

    BackendMaker m_maker;
    std::shared_ptr<SharedState> m_shared;
    std::unique_ptr<Backend> m_backend;
    BackendKind m_kind = BackendKind::Cpu;
    BlurParams m_params;
    cv::Mat m_output;
};

} // namespace detail

/// The controller: lives on the GUI thread, owns both threads, re-emits the workers' results
/// there. Its destructor stops both workers, quits the threads and waits for them.
class Pipeline : public QObject {
    Q_OBJECT
  public:
    Pipeline(SourceOpener opener, BackendMaker maker, QObject* parent = nullptr);
    ~Pipeline() override;
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    void start(const QString& source, BackendKind backend, const BlurParams& params, int everyN, app::FrameShape shape);
    void setSource(const QString& source);
    void retrySource();
    void setBackend(BackendKind kind);
    void setParams(const BlurParams& params);
    void setProcessEveryN(int everyN);
    void setFrameShape(app::FrameShape shape);
    /// Where the window shows each picture: frames for the screen are scaled to fit it on the
    /// worker threads. Empty: shown at their own size.
    void setDisplayBox(QSize box);

    /// Live outputs that get every processed frame from now on (empty: none).
    void setFrameSinks(std::vector<std::shared_ptr<app::FrameSink>> sinks);

    [[nodiscard]] PipelineCounters counters() const;

  signals:
    void originalFrame(const QImage& frame, qint64 captureNs);
    void processedFrame(const blurcam::gui::ProcessedFrame& frame);
    void sourceOpened(const QString& description);
    void sourceFailed(const QString& error, int retryInMs);
    void sourceRecovered(const QString& description);
    void backendsProbed(const QList<blurcam::gui::BackendAvailability>& backends);
    void backendChanged(blurcam::BackendKind kind, const QString& name, const QString& device);
    void backendFailed(blurcam::BackendKind kind, const QString& error);
    void processingError(const QString& error);

  private:
    std::shared_ptr<detail::SharedState> m_shared;
    QThread m_captureThread;
    QThread m_processThread;
    // Created here, moved to their threads; shutdown() brings them back before they are deleted.
    std::unique_ptr<detail::CaptureWorker> m_capture;
    std::unique_ptr<detail::ProcessWorker> m_process;
};

/// Deep copy of a CV_8UC4 RGBA Mat into a QImage (the Mat may be reused right after).
[[nodiscard]] QImage toQImage(const cv::Mat& rgba);

} // namespace blurcam::gui

Q_DECLARE_METATYPE(blurcam::gui::ProcessedFrame)
Q_DECLARE_METATYPE(blurcam::gui::BackendAvailability)
Q_DECLARE_METATYPE(blurcam::BackendKind)
