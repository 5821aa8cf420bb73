#pragma once
// The GUI side of the live outputs: puts an Output panel in the main window, opens the virtual
// camera and the recorder the panel asks for (the same sinks as blurcam-cli's --output and
// --record), hands them to the pipeline, and shows their state. Sinks report from their own
// threads; their reports reach the panel through queued signals.

#include "frame_sink.hpp"
#include "pipeline.hpp"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

namespace blurcam::widgets {
class MainWindow;
class OutputPanel;
} // namespace blurcam::widgets

namespace blurcam::gui {

class OutputController : public QObject {
    Q_OBJECT
  public:
    /// recordFps: the rate of processed frames (the source's rate over "process 1 frame in N").
    /// The pipeline must be stopped before this is destroyed (AppController does so).
    OutputController(Pipeline& pipeline, widgets::MainWindow& window, std::function<double()> recordFps);
    ~OutputController() override;
    OutputController(const OutputController&) = delete;
    OutputController& operator=(const OutputController&) = delete;

    [[nodiscard]] widgets::OutputPanel& panel() { return *m_panel; }
    /// Finds v4l2loopback outputs again (the PipeWire target is always there).
    void refreshTargets();

  signals:
    /// From a sink's thread to the GUI thread.
    void sinkStatus(const QString& text, bool error);
    void recorderStatus(const QString& text, bool recording, bool error);

  private:
    void rebuildVirtualCamera();
    void toggleRecording(bool start);
    void updateSinks();
    void refreshRecordingCount();

    Pipeline& m_pipeline;
    widgets::OutputPanel* m_panel = nullptr; ///< owned by its dock widget, which the window owns
    std::function<double()> m_recordFps;
    std::shared_ptr<app::FrameSink> m_camera;
    std::shared_ptr<app::FrameSink> m_recorder;
    QString m_recordingPath;
    std::atomic<long long> m_recordedFrames{0}; ///< the recorder's count, from its own thread
    QTimer m_recordTicker;                      ///< refreshes "Recording: N frames"
};

} // namespace blurcam::gui
