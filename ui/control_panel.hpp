#pragma once
// The controls beside the video: source, backend, blur parameters, and the kernel heat map.
// Every change is reported as a whole GuiSettings value so the receiver never sees a
// half-applied combination.

#include "gui_settings.hpp"

#include <QList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGraphicsOpacityEffect;
class QLabel;
class QSlider;
class QSpinBox;

namespace blurcam::widgets {

class KernelHeatMap;

/// An entry of the source list that the app fills in. The spec is what the app opens when the
/// entry is chosen; the widgets pass it on and never look inside it.
struct SourceEntry {
    QString spec;
    QString label;
};

class ControlPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ControlPanel(QWidget* parent = nullptr);

    /// Shows settings in the widgets without emitting settingsChanged.
    void setSettings(const GuiSettings& settings);
    [[nodiscard]] GuiSettings settings() const;

    /// Greys out a backend that cannot start; the reason becomes its tooltip.
    void setBackendAvailable(BackendKind kind, bool available, const QString& reason);
    [[nodiscard]] bool isBackendAvailable(BackendKind kind) const;
    [[nodiscard]] QString backendToolTip(BackendKind kind) const;
    /// Shows which backend really runs (it differs from the chosen one after a fallback).
    void setActiveBackend(BackendKind kind);

    void setCameras(const QList<SourceEntry>& cameras);
    /// Selects a source entry, adding it when the list does not have it (a file chosen in a
    /// dialog, a camera that is not plugged in): labelled `label`, or the file name when empty.
    void selectSource(const QString& spec, const QString& label = {});
    /// Offers files opened before (after the cameras and the pattern); selects nothing.
    void addRecentFiles(const QStringList& paths);
    /// Takes an entry off the list (a file that cannot be opened) without emitting anything.
    void removeSource(const QString& spec);

    // The widgets, for keyboard shortcuts and tests.
    [[nodiscard]] QComboBox* sourceCombo() const { return m_source; }
    [[nodiscard]] QComboBox* backendCombo() const { return m_backend; }
    [[nodiscard]] QSlider* sigmaSlider() const { return m_sigmaSlider; }
    [[nodiscard]] QDoubleSpinBox* sigmaSpinBox() const { return m_sigma; }
    [[nodiscard]] QComboBox* edgeCombo() const { return m_edge; }
    [[nodiscard]] QComboBox* kernelCombo() const { return m_kernel; }
    [[nodiscard]] QSpinBox* kernelSizeSpinBox() const { return m_size; }
    [[nodiscard]] QComboBox* strideCombo() const { return m_stride; }
    [[nodiscard]] QSpinBox* everyNSpinBox() const { return m_everyN; }
    [[nodiscard]] QComboBox* frameShapeCombo() const { return m_shape; }
    [[nodiscard]] QComboBox* compareCombo() const { return m_compare; }
    [[nodiscard]] KernelHeatMap* heatMap() const { return m_heatMap; }
    /// The "too small for this sigma" note beside the size, with its "Auto size" button.
    [[nodiscard]] bool isSizeHintShown() const;
    [[nodiscard]] QString sizeHintText() const;

  signals:
    void settingsChanged(const blurcam::widgets::GuiSettings& settings);
    void openFileRequested();
    /// The source list was opened: a moment to look for cameras that appeared meanwhile.
    void sourceListOpened();

  private:
    void emitChanged();
    void refreshDependentWidgets();
    [[nodiscard]] int backendRow(BackendKind kind) const;

    QComboBox* m_source = nullptr;
    QComboBox* m_shape = nullptr;
    QComboBox* m_backend = nullptr;
    QSlider* m_sigmaSlider = nullptr;
    QDoubleSpinBox* m_sigma = nullptr;
    QComboBox* m_edge = nullptr;
    QComboBox* m_kernel = nullptr;
    QSpinBox* m_size = nullptr;
    QComboBox* m_stride = nullptr;
    QSpinBox* m_everyN = nullptr;
    QComboBox* m_compare = nullptr;
    QCheckBox* m_snapshotPair = nullptr;
    KernelHeatMap* m_heatMap = nullptr;
    QWidget* m_sizeHint = nullptr;
    QLabel* m_sizeHintText = nullptr;
    QGraphicsOpacityEffect* m_sigmaFade = nullptr;
    int m_gaussianSize = 5;    ///< the size box's value before binomial replaced it with 5
    bool m_sizeForced = false; ///< the size box shows binomial's 5, not the user's size
    bool m_updating = false;   ///< set while widgets are filled from code, so no echo is emitted
};

} // namespace blurcam::widgets
