#pragma once
// Wires the main window to the pipeline: settings in both directions, frames to the view,
// source and backend trouble to the banner and status bar, persistence to QSettings.

#include "camera_monitor.hpp"
#include "fft_plan_scheduler.hpp"
#include "main_window.hpp"
#include "output_controller.hpp"
#include "pipeline.hpp"
#include "rate_meter.hpp"

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace blurcam::gui {

struct ControllerOptions {
    SourceOpener opener = defaultSourceOpener();
    FftPlanner planner = defaultFftPlanner();
    BackendMaker maker = defaultBackendMaker();
    /// Cameras to offer instead of watching /dev (tests run without cameras, and must not
    /// depend on whether the machine has one).
    std::optional<QList<CameraEntry>> cameras;
};

[[nodiscard]] app::FrameShape toFrameShape(widgets::FrameShapeChoice choice);

class AppController : public QObject {
    Q_OBJECT
  public:
    /// initial: the saved settings with any command-line overrides already applied. Settings
    /// are written to the default QSettings on every change and when the controller goes.
    explicit AppController(const widgets::GuiSettings& initial, ControllerOptions options = {});
    ~AppController() override;

    [[nodiscard]] widgets::MainWindow& window() { return *m_window; }
    [[nodiscard]] Pipeline& pipeline() { return *m_pipeline; }
    [[nodiscard]] OutputController& output() { return *m_output; }
    void saveSettings();
    void resetToDefaults();
    /// The camera list changed (from the /dev watcher, or a test): refresh the source list, and
    /// switch to the camera we fell back from if it is now there.
    void setCameras(const QList<CameraEntry>& cameras);

    /// FFT plan measurements finished so far, and the sentence the last one put in the status bar.
    [[nodiscard]] int fftPlansCompleted() const { return m_fftPlans.completed(); }
    [[nodiscard]] QString lastPlanMessage() const { return m_fftPlans.lastMessage(); }

  private:
    [[nodiscard]] QString identityOf(const QString& source) const;
    void applyChanges(const widgets::GuiSettings& changed);
    void refreshNote();
    void refreshStatus();
    void sourceFailed(const QString& error, int retryInMs);

    // Member order is destruction order: the pipeline (declared last) stops its threads
    // before the window its frames go to is destroyed.
    std::unique_ptr<widgets::MainWindow> m_window;
    std::unique_ptr<CameraMonitor> m_cameraMonitor; ///< null when the camera list is injected
    QTimer m_statusTimer;
    RateMeter m_rate;
    widgets::StatusInfo m_status;
    widgets::GuiSettings m_applied;
    QList<CameraEntry> m_cameras; ///< for the names in per-camera settings
    QString m_fallbackFrom;       ///< the camera we wanted when we fell back to the pattern
    QString m_sourceNote;
    QStringList m_recentFiles; ///< newest first; files that failed are taken off
    bool m_keepBanner = false; ///< the next "source opened" leaves the banner up
    bool m_openFailed = false; ///< the source could not be opened: no frames shown until one opens
    QString m_planNote;
    FftPlanScheduler m_fftPlans; ///< waits for a measurement under way when it goes
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<OutputController> m_output; ///< the destructor stops the pipeline first
};

} // namespace blurcam::gui
