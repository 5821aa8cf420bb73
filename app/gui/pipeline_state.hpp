#pragma once
// What the pipeline's two workers and its controller share: the injected makers, the frames and
// reports that cross threads, the one-frame mailbox and the counters.

#include "constants.hpp"
#include "frame_convert.hpp"
#include "frame_sink.hpp"
#include "frame_source.hpp"

#include <blurcam/backend.hpp>

#include <QImage>
#include <QList>
#include <QMetaType>
#include <QSize>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

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

/// Frames emitted to the GUI but not yet shown; beyond this the GUI is behind and a frame for
/// it is skipped rather than queued in the event loop.
inline constexpr int kMaxFramesInFlight = 2;

/// std::string (engine, OpenCV) to QString for the workers' signals.
[[nodiscard]] inline QString fromStd(const std::string& text) {
    return QString::fromStdString(text);
}

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

    /// The camera's own frame size, before shaping (set by the capture worker, read by the
    /// processing worker). One atomic value, so a reader never sees the width of one frame with
    /// the height of another.
    void setSourceSize(cv::Size size) { m_sourceSize.store(pack(size.width, size.height)); }
    [[nodiscard]] cv::Size sourceSize() const {
        const quint64 packed = m_sourceSize.load();
        return {widthOf(packed), heightOf(packed)};
    }

    /// The box each picture is shown in (set by the GUI, read by both workers).
    void setDisplayBox(QSize box) { m_displayBox.store(pack(box.width(), box.height())); }
    [[nodiscard]] QSize displayBox() const {
        const quint64 packed = m_displayBox.load();
        return {widthOf(packed), heightOf(packed)};
    }

  private:
    static quint64 pack(int width, int height) { return (quint64(quint32(width)) << 32) | quint32(height); }
    static int widthOf(quint64 packed) { return static_cast<int>(packed >> 32); }
    static int heightOf(quint64 packed) { return static_cast<int>(packed & 0xffffffffU); }

    std::atomic<quint64> m_sourceSize{0};
    std::atomic<quint64> m_displayBox{0};
};

} // namespace detail

} // namespace blurcam::gui

Q_DECLARE_METATYPE(blurcam::gui::ProcessedFrame)
Q_DECLARE_METATYPE(blurcam::gui::BackendAvailability)
Q_DECLARE_METATYPE(blurcam::BackendKind)
