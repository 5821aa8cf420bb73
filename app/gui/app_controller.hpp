#pragma once
// Wires the main window to the pipeline: settings in both directions, frames to the view,
// source and backend trouble to the banner and status bar, persistence to QSettings.

#include "camera_monitor.hpp"
#include "main_window.hpp"
#include "pipeline.hpp"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace blurcam::gui {

struct ControllerOptions {
    SourceOpener opener = defaultSourceOpener();
    BackendMaker maker = defaultBackendMaker();
    /// Cameras to offer instead of watching /dev (tests run without cameras, and must not
    /// depend on whether the machine has one).
    std::optional<QList<ui::CameraEntry>> cameras;
};

[[nodiscard]] app::FrameShape toFrameShape(ui::FrameShapeChoice choice);

class AppController : public QObject {
    Q_OBJECT
public:
    /// initial: the saved settings with any command-line overrides already applied. Settings
    /// are written to the default QSettings on every change and when the controller goes.
    explicit AppController(const ui::GuiSettings& initial, ControllerOptions options = {});
    ~AppController() override;

    [[nodiscard]] ui::MainWindow& window() { return *m_window; }
    [[nodiscard]] Pipeline& pipeline() { return *m_pipeline; }
    void saveSettings();
    void resetToDefaults();
    /// The camera list changed (from the /dev watcher, or a test): refresh the source list, and
    /// switch to the camera we fell back from if it is now there.
    void setCameras(const QList<ui::CameraEntry>& cameras);

private:
    void applyChanges(const ui::GuiSettings& changed);
    void refreshNote();
    void refreshStatus();

    // Member order is destruction order: the pipeline (declared last) stops its threads
    // before the window its frames go to is destroyed.
    std::unique_ptr<ui::MainWindow> m_window;
    std::unique_ptr<CameraMonitor> m_cameraMonitor; ///< null when the camera list is injected
    QTimer m_statusTimer;
    QElapsedTimer m_rateClock;
    quint64 m_rateProcessed = 0;
    double m_rate = 0.0;
    ui::StatusInfo m_status;
    ui::GuiSettings m_applied;
    QString m_fallbackFrom; ///< the camera we wanted when we fell back to the pattern
    QString m_sourceNote;
    QString m_backendNote;
    std::unique_ptr<Pipeline> m_pipeline;
};

} // namespace blurcam::gui
