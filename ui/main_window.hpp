#pragma once
// The main window: the video view with its banner, the control panel in a dock, menus,
// shortcuts, status line and snapshots. It knows only Qt and the engine's public API; the
// app wires it to the capture/processing pipeline.

#include "gui_settings.hpp"
#include "source_banner.hpp"

#include <blurcam/backend.hpp>

#include <QImage>
#include <QMainWindow>
#include <QPixmap>
#include <QTimer>

#include <functional>

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QMenu;
class QPushButton;
class QSettings;

namespace blurcam::widgets {

class ControlPanel;
class ShortcutOverlay;
class SpectrumView;
class StatusLine;
class Toast;
class VideoView;

/// Everything the status line shows.
struct StatusInfo {
    QString backend;                     ///< e.g. "cpu (avx2, 1 thread)"
    QString device;                      ///< e.g. "CPU", a GPU's name
    BackendKind kind = BackendKind::Cpu; ///< the backend that runs; Vulkan adds the transfer times
    quint64 captured = 0;
    quint64 processed = 0;
    quint64 dropped = 0;
    double processedPerSecond = 0.0;
    double engineMs = 0.0;
    FrameTimings timings;   ///< upload/GPU/download shown when the backend moves data to a device
    double latencyMs = 0.0; ///< capture to display of the last blurred frame
};

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Fills every widget from settings without emitting settingsChanged.
    void applySettings(const GuiSettings& settings);
    [[nodiscard]] GuiSettings settings() const;

    void restoreWindowState(QSettings& settings);
    void saveWindowState(QSettings& settings) const;

    /// Deep-copied frames from the pipeline; converted to pixmaps here, on the GUI thread.
    void setOriginalFrame(const QImage& frame);
    /// The blurred frame and the input it was computed from (for "snapshot the pair"), and the
    /// blurred frame made for the screen, if there is one (see VideoView::pictureBox()).
    void setProcessedFrame(const QImage& processed, const QImage& input, const QImage& display = {});

    void showBanner(const QString& text, SourceBanner::Action action = SourceBanner::Action::Retry);
    void hideBanner();
    [[nodiscard]] bool isBannerVisible() const;
    [[nodiscard]] QString bannerText() const;

    void setStatus(const StatusInfo& status);
    [[nodiscard]] QString statusText() const;
    /// A lasting note in the status bar, e.g. "no camera found, showing the test pattern".
    void setSourceNote(const QString& note);
    [[nodiscard]] QString sourceNote() const;
    /// A one-time notice: it takes the numbers' place for a few seconds, then goes.
    void showTransientMessage(const QString& message);
    [[nodiscard]] QString notice() const;
    [[nodiscard]] StatusLine* statusLine() const { return m_statusLine; }

    /// Where snapshots go (default: the Pictures folder).
    void setSnapshotDirectory(const QString& directory);
    /// Saves the processed frame (or the pair) as PNG, copies it to the clipboard; returns the path
    /// or an empty string with the reason shown in the status bar.
    QString saveSnapshot();

    [[nodiscard]] ControlPanel* controls() const { return m_controls; }
    [[nodiscard]] VideoView* videoView() const { return m_view; }
    [[nodiscard]] ShortcutOverlay* shortcutOverlay() const { return m_overlay; }
    [[nodiscard]] SpectrumView* spectrumView() const { return m_spectrum; }
    [[nodiscard]] SourceBanner* banner() const { return m_banner; }
    [[nodiscard]] QDockWidget* spectrumDock() const { return m_spectrumDock; }
    [[nodiscard]] QDockWidget* controlsDock() const { return m_dock; }
    /// A show/hide entry for a dock the app adds later (the Output section), in the View menu.
    void addDockToViewMenu(QDockWidget* dock);
    [[nodiscard]] Toast* toast() const { return m_toast; }

  signals:
    void settingsChanged(const blurcam::widgets::GuiSettings& settings);
    void resetRequested();
    void retrySourceRequested();
    /// The box each picture is shown in changed; frames made at that size paint fastest.
    void pictureBoxChanged(QSize box);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void createActions();
    void stepSigma(double delta);
    /// The keys that step through a list (E, K, S, V, B): the next row `usable` accepts (any
    /// when empty), wrapping around; false when no other row is usable.
    bool cycle(QComboBox* combo, const std::function<bool(int row)>& usable = {});
    void cycleBackend();
    void toggleFullScreen();
    void openFile();
    void showAbout();
    void placeFloatingControls();

    ControlPanel* m_controls = nullptr;
    VideoView* m_view = nullptr;
    SourceBanner* m_banner = nullptr;
    StatusLine* m_statusLine = nullptr;
    ShortcutOverlay* m_overlay = nullptr;
    Toast* m_toast = nullptr; ///< "Esc to leave" on entering full screen
    QTimer m_floatCheck;      ///< waits for the mouse to let go of a panel made floating
    QDockWidget* m_dock = nullptr;
    SpectrumView* m_spectrum = nullptr;
    QMenu* m_viewMenu = nullptr;
    QDockWidget* m_spectrumDock = nullptr; ///< hidden by default: the transforms cost GUI time
    QImage m_lastProcessed;
    QImage m_lastInput;
    QString m_snapshotDirectory;
};

} // namespace blurcam::widgets
