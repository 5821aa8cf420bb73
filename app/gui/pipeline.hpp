#pragma once
// The capture/processing pipeline behind the desktop app. Two workers, each a QObject on its
// own QThread: the capture worker reads the FrameSource and shapes frames; the processing
// worker blurs. Between them sits a one-frame mailbox: the processing worker always takes the
// newest frame, and a frame it never got to is dropped and counted, never queued (Qt's
// Mandelbrot example restarts rather than queues for the same reason: latency stays one frame).

#include "capture_worker.hpp"
#include "pipeline_state.hpp"
#include "process_worker.hpp"

#include <QObject>
#include <QThread>

#include <memory>
#include <vector>

namespace blurcam::gui {

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
