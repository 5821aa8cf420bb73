#pragma once
// The pipeline's capture side: reads the FrameSource at its pace, shapes each frame, shows the
// original and posts it to the mailbox; reopens a camera that went away, with backoff.

#include "pipeline_state.hpp"

#include <QObject>
#include <QThread>

class QTimer;

namespace blurcam::gui::detail {

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

} // namespace blurcam::gui::detail
